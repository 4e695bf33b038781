"""Operations on live servers: verify the contract, deploy and roll back releases, watchdog."""
