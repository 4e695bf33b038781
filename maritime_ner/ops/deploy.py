"""`make deploy` / `make rollback`: install a built repository into a Triton model repository as a new version.

    python -m maritime_ner.ops.deploy install --repository dist/model_repository --target DIR|HOST:DIR|s3://[HOST:PORT/]BUCKET/PREFIX [--url HOST:PORT[,HOST:PORT...]]
    python -m maritime_ner.ops.deploy rollback --target DIR|HOST:DIR|s3://... [--url HOST:PORT[,...]]

Layout of the target, per model: ``<model>/<N>/`` holds release N's files plus a copy of its
``config.pbtxt``; ``<model>/config.pbtxt`` is the served release's config with
``version_policy { specific { versions: [N] } }``, so older versions stay on disk and are
never loaded. With ``--url`` (a server in explicit model-control mode) the new release is
loaded through the repository API (key from $TRITON_ADMIN_KEY), verified with `verify`, and
put back to the previous release by itself when loading or verification fails.

Several servers (``--url A,B``) must read the same repository (an object store, or shared
storage): the release is test-loaded on the first, then loaded and verified on each in turn;
any failure puts every server back on the previous release. An ``s3://`` target takes its
credentials from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION,
as Triton does), never from the command line.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from tritonclient.grpc import model_config_pb2 as mc

from maritime_ner.core import contract
from maritime_ner.repository import configs as configs_io
from maritime_ner.repository.layout import CONFIG_FILE, VERSION, ModelRepository
from maritime_ner.ops.verify import DEFAULT_SMOKE, Report, verify

CONFIG = CONFIG_FILE
# Composing models first: the ensemble's steps (model_version -1) then pick up the new versions.
# tritonserver's gRPC frontend looks for restricted-protocol keys under this prefix.
GRPC_HEADER_PREFIX = "triton-grpc-protocol-"
CANDIDATE_SUFFIX = "__candidate"
LOAD_ORDER: tuple[str, ...] = (contract.TOKENIZER_MODEL, contract.ONNX_MODEL, contract.DECODER_MODEL, contract.ENSEMBLE)


class DeployError(Exception):
    """The deploy cannot go on; the message says why and what the target looks like now."""


class CandidateRejected(DeployError):
    """The release failed while test-loaded under candidate names: nothing served has changed."""


class Target:
    """A Triton model repository: file operations by path relative to its root."""

    def versions(self, model: str) -> list[int]:
        """Numeric version folders of ``model``, ascending."""
        raise NotImplementedError

    def read_text(self, rel: str) -> str | None:
        """A file's text, or None if it does not exist."""
        raise NotImplementedError

    def write_text(self, rel: str, text: str) -> None:
        """Replace a file atomically (write aside, then rename)."""
        raise NotImplementedError

    def put_tree(self, local: Path, rel: str) -> None:
        """Copy a local folder to ``rel`` (which must not exist); appears whole or not at all."""
        raise NotImplementedError

    def remove(self, rel: str) -> None:
        """Delete a folder or file if present."""
        raise NotImplementedError

    def link(self, rel_source: str, rel: str) -> None:
        """Make ``rel`` a symbolic link to ``rel_source`` (both relative to the root)."""
        raise NotImplementedError


@dataclass
class LocalTarget(Target):
    """A model repository on this machine."""

    root: Path

    def versions(self, model: str) -> list[int]:
        folder = self.root / model
        return sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and p.name.isdigit()) if folder.is_dir() else []

    def read_text(self, rel: str) -> str | None:
        path = self.root / rel
        return path.read_text(encoding="utf-8") if path.exists() else None

    def write_text(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)

    def put_tree(self, local: Path, rel: str) -> None:
        dest = self.root / rel
        tmp = dest.with_name(f".{dest.name}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(local, tmp)
        tmp.rename(dest)

    def link(self, rel_source: str, rel: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to((self.root / rel_source).resolve(), target_is_directory=True)

    def remove(self, rel: str) -> None:
        path = self.root / rel
        if path.is_symlink():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


@dataclass
class SshTarget(Target):
    """A model repository on another host, reached with ssh (files travel as a tar stream)."""

    host: str
    root: str
    ssh: list[str] = field(default_factory=lambda: shlex.split(os.environ.get("DEPLOY_SSH", "ssh")))

    def _run(self, script: str, stdin: bytes | None = None) -> str:
        """Run a shell script on the host; a failure names the host and the script."""
        done = subprocess.run([*self.ssh, self.host, script], input=stdin, capture_output=True, timeout=600)
        if done.returncode != 0:
            raise DeployError(f"{self.host}: `{script}` failed: {done.stderr.decode(errors='replace').strip()}")
        return done.stdout.decode("utf-8")

    def _path(self, rel: str) -> str:
        return shlex.quote(f"{self.root.rstrip('/')}/{rel}")

    def versions(self, model: str) -> list[int]:
        out = self._run(f"ls -1 {self._path(model)} 2>/dev/null || true")
        return sorted(int(n) for n in out.split() if n.isdigit())

    def read_text(self, rel: str) -> str | None:
        out = self._run(f"if [ -f {self._path(rel)} ]; then echo y; cat {self._path(rel)}; else echo n; fi")
        return out[2:] if out.startswith("y\n") else None

    def write_text(self, rel: str, text: str) -> None:
        path, tmp = self._path(rel), self._path(f"{rel}.tmp")
        self._run(f"mkdir -p $(dirname {path}) && cat > {tmp} && mv -f {tmp} {path}", text.encode("utf-8"))

    def put_tree(self, local: Path, rel: str) -> None:
        archive = subprocess.run(["tar", "-C", str(local), "-cf", "-", "."], capture_output=True, check=True).stdout
        path, tmp = self._path(rel), self._path(f"{rel}.tmp")
        self._run(f"rm -rf {tmp} && mkdir -p {tmp} && tar -C {tmp} -xf - && mv {tmp} {path}", archive)

    def remove(self, rel: str) -> None:
        self._run(f"rm -rf {self._path(rel)}")

    def link(self, rel_source: str, rel: str) -> None:
        path = self._path(rel)
        self._run(f"mkdir -p $(dirname {path}) && ln -sfn \"$(cd {self._path(rel_source)} && pwd)\" {path}")


S3_SCHEME = "s3://"


@dataclass
class S3Target(Target):
    """A model repository in an S3-compatible bucket (boto3; credentials from the AWS_* environment).

    Objects have no rename and no links: a release's files are uploaded before any config names
    it (so no server loads a half-written release), and a "link" is a server-side copy.
    """

    bucket: str
    prefix: str = ""
    endpoint: str | None = None  # http(s)://host:port; None: AWS (or $AWS_ENDPOINT_URL)

    def __post_init__(self) -> None:
        try:
            import boto3
        except ImportError:
            raise DeployError("an s3:// target needs boto3: pip install 'maritime-ner-triton[s3]'") from None
        self.prefix = self.prefix.strip("/")
        self.s3 = boto3.client("s3", endpoint_url=self.endpoint)

    @classmethod
    def parse(cls, url: str) -> "S3Target":
        """Triton's forms: ``s3://bucket/prefix``, ``s3://host:port/bucket/prefix``, ``s3://https://host:port/bucket/prefix``."""
        rest = url[len(S3_SCHEME):]
        scheme = "http"
        for explicit in ("http://", "https://"):
            if rest.startswith(explicit):
                scheme, rest = explicit[:-3], rest[len(explicit):]
        first, _, path = rest.partition("/")
        endpoint = None
        if ":" in first:  # host:port (Triton needs the port to tell a host from a bucket)
            endpoint, (first, _, path) = f"{scheme}://{first}", path.partition("/")
        if not first:
            raise DeployError(f"{url}: no bucket (expected s3://[host:port/]bucket/prefix)")
        return cls(first, path, endpoint)

    def _key(self, rel: str) -> str:
        return f"{self.prefix}/{rel}".lstrip("/") if rel else self.prefix

    def _keys(self, rel: str) -> list[str]:
        """Every object key under the folder ``rel``."""
        keys = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self._key(rel).rstrip("/") + "/"):
            keys.extend(obj["Key"] for obj in page.get("Contents", []))
        return keys

    def versions(self, model: str) -> list[int]:
        found = set()
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self._key(model) + "/", Delimiter="/"):
            for common in page.get("CommonPrefixes", []):
                name = common["Prefix"].rstrip("/").rsplit("/", 1)[-1]
                if name.isdigit():
                    found.add(int(name))
        return sorted(found)

    def read_text(self, rel: str) -> str | None:
        try:
            return self.s3.get_object(Bucket=self.bucket, Key=self._key(rel))["Body"].read().decode("utf-8")
        except self.s3.exceptions.NoSuchKey:
            return None

    def write_text(self, rel: str, text: str) -> None:
        self.s3.put_object(Bucket=self.bucket, Key=self._key(rel), Body=text.encode("utf-8"))  # one PUT replaces it whole

    def put_tree(self, local: Path, rel: str) -> None:
        for path in sorted(p for p in local.rglob("*") if p.is_file()):
            self.s3.upload_file(str(path), self.bucket, self._key(f"{rel}/{path.relative_to(local).as_posix()}"))

    def remove(self, rel: str) -> None:
        keys = self._keys(rel) + [self._key(rel)]
        for i in range(0, len(keys), 1000):
            self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": [{"Key": k} for k in keys[i : i + 1000]], "Quiet": True})

    def link(self, rel_source: str, rel: str) -> None:
        source = self._key(rel_source) + "/"
        for key in self._keys(rel_source):
            self.s3.copy_object(Bucket=self.bucket, Key=self._key(rel) + "/" + key[len(source):],
                                CopySource={"Bucket": self.bucket, "Key": key})


def parse_target(spec: str) -> Target:
    """``s3://…`` (object store), ``host:folder`` (ssh) or a local folder; a local path that exists or has a slash before ':' is local."""
    if spec.startswith(S3_SCHEME):
        return S3Target.parse(spec)
    host, sep, folder = spec.partition(":")
    if sep and host and "/" not in host and not Path(spec).exists():
        return SshTarget(host, folder or ".")
    return LocalTarget(Path(spec))


def parse_config_text(text: str, where: str) -> mc.ModelConfig:
    """Parse config text from a target; a syntax error is a DeployError naming where it came from."""
    try:
        return configs_io.parse_config_text(text, where)
    except configs_io.ConfigError as err:
        raise DeployError(str(err)) from None


def pinned(config: mc.ModelConfig, version: int) -> str:
    """The config text with a version policy serving exactly ``version``."""
    config = mc.ModelConfig.FromString(config.SerializeToString())
    config.version_policy.Clear()
    config.version_policy.specific.versions.append(version)
    return configs_io.config_text(config)


def served_version(target: Target) -> int | None:
    """The release the target's ensemble config serves (None for an empty target)."""
    text = target.read_text(f"{contract.ENSEMBLE}/{CONFIG}")
    if text is None:
        return None
    versions = list(parse_config_text(text, f"{contract.ENSEMBLE}/{CONFIG}").version_policy.specific.versions)
    if len(versions) != 1:
        raise DeployError(f"{contract.ENSEMBLE}/{CONFIG} does not pin one version (not installed by `make deploy`?)")
    return int(versions[0])


def check_built(repository: Path) -> dict[str, mc.ModelConfig]:
    """A built repository's configs; refuses a folder that is not one."""
    repo, configs = ModelRepository(repository), {}
    for name in contract.ALL_MODELS:
        path = repo.config_path(name)
        if not path.exists() or not repo.version_dir(name).is_dir():
            raise DeployError(f"{repository} is not a built repository ({path} or {name}/{VERSION}/ missing): run `make build-repo`")
        configs[name] = parse_config_text(path.read_text(encoding="utf-8"), str(path))
        if configs[name].name != name:
            raise DeployError(f"{path} names the model '{configs[name].name}', expected '{name}'")
    return configs


@dataclass
class Server:
    """The repository API of a live server in explicit model-control mode."""

    url: str
    key: str | None = None
    timeout: float = 300.0

    def __post_init__(self) -> None:
        import tritonclient.grpc as grpcclient

        self.tc = grpcclient
        self.client = grpcclient.InferenceServerClient(self.url)

    @property
    def headers(self) -> dict[str, str]:
        return {GRPC_HEADER_PREFIX + contract.ADMIN_KEY_HEADER: self.key} if self.key else {}

    def load(self, models: tuple[str, ...] = LOAD_ORDER) -> None:
        """(Re)load the models from the repository; raises DeployError with Triton's message."""
        for name in models:
            try:
                self.client.load_model(name, headers=self.headers, client_timeout=self.timeout)
            except self.tc.InferenceServerException as err:
                hint = f" (set ${contract.ADMIN_KEY_ENV} to the server's admin key)" if "restricted" in str(err).lower() else ""
                raise DeployError(f"{self.url}: loading {name} failed: {err.message()}{hint}") from None

    def check_access(self) -> None:
        """Fail early, before the target changes, when the repository API refuses this caller."""
        try:
            self.client.get_model_repository_index(headers=self.headers, client_timeout=self.timeout)
        except self.tc.InferenceServerException as err:
            raise DeployError(
                f"the server at {self.url} refuses its repository API: {err.message()} "
                f"(set ${contract.ADMIN_KEY_ENV} to the server's admin key; the server needs --model-control-mode=explicit)"
            ) from None

    def unload(self, models: tuple[str, ...]) -> None:
        """Unload models, ensemble first; models that are not loaded are no error."""
        for name in reversed(models):
            try:
                self.client.unload_model(name, headers=self.headers, client_timeout=self.timeout)
            except self.tc.InferenceServerException:
                continue

    def ready(self, version: int) -> list[str]:
        """Models whose ``version`` is not ready (all of them when the server does not answer)."""
        try:
            return [m for m in contract.ALL_MODELS if not self.client.is_model_ready(m, str(version))]
        except self.tc.InferenceServerException:
            return list(contract.ALL_MODELS)

    def close(self) -> None:
        self.client.close()


@dataclass
class Outcome:
    """What a deploy or rollback did."""

    ok: bool
    served: int | None
    messages: list[str] = field(default_factory=list)
    report: Report | None = None  # the first server's verification (all of them in ``reports``)
    reports: list[Report] = field(default_factory=list)


Verify = Callable[[str, str], Report]  # (server URL, model-name suffix) -> report
Servers = Server | Sequence[Server] | None


def fleet(servers: Servers) -> list[Server]:
    """One server, several, or none, as a list."""
    if servers is None:
        return []
    return [servers] if isinstance(servers, Server) else list(servers)


def load_all(servers: Servers) -> list[str]:
    """Load the served configs on every server; returns one problem line per server that failed."""
    problems = []
    for server in fleet(servers):
        try:
            server.load()
        except DeployError as err:
            problems.append(str(err))
    return problems


def candidate(name: str) -> str:
    """Name under which a release is test-loaded beside the served models."""
    return f"{name}{CANDIDATE_SUFFIX}"


def candidate_config(config: mc.ModelConfig, version: int) -> str:
    """A release's config renamed to its candidate, the ensemble's steps pointing at candidates."""
    config = mc.ModelConfig.FromString(config.SerializeToString())
    config.name = candidate(config.name)
    for step in config.ensemble_scheduling.step:
        step.model_name, step.model_version = candidate(step.model_name), version
    return pinned(config, version)


def check_release(configs: dict[str, mc.ModelConfig]) -> None:
    """The build's contract checks on a release's configs, before anything is loaded."""
    from maritime_ner.repository.build import BuildError, check_contract

    try:
        check_contract(configs)
    except BuildError as err:
        raise DeployError(f"the release breaks the serving contract: {err}") from None


def try_candidate(target: Target, version: int, configs: dict[str, mc.ModelConfig], server: Server, check: Verify | None) -> None:
    """Load and verify release ``version`` under candidate names beside the served models, then unload it."""
    names = tuple(candidate(m) for m in LOAD_ORDER)
    try:
        _load_candidate(target, version, configs, server, check, names)
    except DeployError as err:
        raise CandidateRejected(str(err)) from None
    finally:
        server.unload(names)
        for name in contract.ALL_MODELS:
            target.remove(candidate(name))


def _load_candidate(target: Target, version: int, configs: dict[str, mc.ModelConfig], server: Server, check: Verify | None,
                    names: tuple[str, ...]) -> None:
    """Write the candidate configs, load them and verify them (try_candidate cleans up)."""
    for name in contract.ALL_MODELS:
        target.remove(candidate(name))
        target.link(f"{name}/{version}", f"{candidate(name)}/{version}")
        target.write_text(f"{candidate(name)}/{CONFIG}", candidate_config(configs[name], version))
    server.load(names)
    report = check(server.url, CANDIDATE_SUFFIX) if check else None
    if report is not None and not report.ok:
        raise DeployError("the candidate failed verification, the served release was not touched:\n" + "\n".join(report.lines()))


def point_to(target: Target, version: int) -> None:
    """Make every model's config.pbtxt serve ``version`` (from that release's stored config)."""
    for name in contract.ALL_MODELS:
        text = target.read_text(f"{name}/{version}/{CONFIG}")
        if text is None:
            raise DeployError(f"release {version} of {name} has no stored {CONFIG}: cannot serve it")
        target.write_text(f"{name}/{CONFIG}", pinned(parse_config_text(text, f"{name}/{version}/{CONFIG}"), version))


def activate(target: Target, version: int, servers: Servers, check: Verify | None,
             configs: dict[str, mc.ModelConfig] | None = None) -> list[Report]:
    """Test-load ``version`` as candidates (first server), point configs at it, then load and verify it
    on each server in turn; DeployError at the first failure. The servers not reached yet keep
    serving what they had loaded (explicit mode reads the repository only on a load request)."""
    servers = fleet(servers)
    if servers and configs is not None:
        try_candidate(target, version, configs, servers[0], check)
    point_to(target, version)
    reports = []
    for server in servers:
        server.load()
        not_ready = server.ready(version)
        if not_ready:
            raise DeployError(f"{server.url}: after loading, version {version} of {', '.join(not_ready)} is not ready")
        report = check(server.url, "") if check else None
        if report is not None and not report.ok:
            raise DeployError(f"{server.url}: verification failed:\n" + "\n".join(report.lines()))
        if report is not None:
            reports.append(report)
    return reports


def install(repository: Path, target: Target, server: Servers = None, check: Verify | None = None, keep: int = 3) -> Outcome:
    """Add ``repository`` as release N+1, serve it on every server, and go back to release N on all of them if that fails."""
    configs = check_built(repository)
    check_release(configs)
    for each in fleet(server):
        each.check_access()
    previous = served_version(target)
    version = max([v for m in contract.ALL_MODELS for v in target.versions(m)] + [0]) + 1
    for name, config in configs.items():
        with tempfile.TemporaryDirectory() as tmp:
            stage = Path(tmp) / "v"
            shutil.copytree(ModelRepository(repository).version_dir(name), stage)
            (stage / CONFIG).write_text(pinned(config, version), encoding="utf-8")
            target.put_tree(stage, f"{name}/{version}")
    messages = [f"installed release {version}" + (f" beside release {previous}" if previous else "")]
    try:
        reports = activate(target, version, server, check, configs)
    except CandidateRejected as err:  # configs never pointed at it: no server to reload
        for name in contract.ALL_MODELS:
            target.remove(f"{name}/{version}")
        messages += [f"release {version} rejected: {err}",
                     f"still serving release {previous} (no served model was touched); removed release {version}"]
        return Outcome(False, previous, messages)
    except DeployError as err:
        messages.append(f"release {version} rejected: {err}")
        try:
            messages.extend(restore(target, version, previous, server))
        except DeployError as again:
            messages.append(f"ROLLBACK TO RELEASE {previous} FAILED, check the server now: {again}")
        return Outcome(False, previous, messages)
    messages.append(serving_line(version, server, reports))
    messages.extend(prune(target, version, keep))
    return Outcome(True, version, messages, reports[0] if reports else None, reports)


def serving_line(version: int, servers: Servers, reports: list[Report]) -> str:
    """'serving release N on A, B (verified)' for the messages."""
    urls = [s.url for s in fleet(servers)]
    if not urls:
        return f"serving release {version} (no server given: not loaded)"
    where = f" on {', '.join(urls)}" if len(urls) > 1 else ""
    return f"serving release {version}{where}" + (" (verified)" if reports else " (loaded, not verified)")


def restore(target: Target, failed: int, previous: int | None, server: Servers) -> list[str]:
    """Serve ``previous`` again on every server and delete the failed release's folders."""
    if previous is None:
        for name in contract.ALL_MODELS:
            target.remove(f"{name}/{failed}")
            target.remove(f"{name}/{CONFIG}")
        return [f"no previous release: removed release {failed}"]
    # The configs pin ``previous`` again: deleting the failed folders alone would not unload it
    # from an object store (Triton keeps a loaded version whose folder vanished).
    point_to(target, previous)
    problems = load_all(server)
    for name in contract.ALL_MODELS:
        target.remove(f"{name}/{failed}")
    if problems:
        raise DeployError("; ".join(problems))
    return [f"rolled back to release {previous}; removed release {failed}"]


def prune(target: Target, served: int, keep: int) -> list[str]:
    """Delete releases older than the ``keep`` newest at or below ``served``."""
    old = [v for v in target.versions(contract.ENSEMBLE) if v <= served][:-keep] if keep > 0 else []
    for version in old:
        for name in contract.ALL_MODELS:
            target.remove(f"{name}/{version}")
    return [f"pruned releases {old}"] if old else []


def rollback(target: Target, server: Servers = None, check: Verify | None = None) -> Outcome:
    """Serve the release before the served one again on every server; if that fails anywhere, serve the current one again on all."""
    current = served_version(target)
    if current is None:
        raise DeployError("the target serves no release installed by `make deploy`")
    older = [v for v in target.versions(contract.ENSEMBLE) if v < current]
    if not older:
        raise DeployError(f"release {current} is the oldest one kept: nothing to roll back to")
    for each in fleet(server):
        each.check_access()
    try:
        reports = activate(target, older[-1], server, check)
    except DeployError as err:
        messages = [f"rollback to release {older[-1]} failed: {err}"]
        point_to(target, current)
        problems = load_all(server)
        messages.append(f"RESTORING RELEASE {current} FAILED, check the servers now: {'; '.join(problems)}" if problems
                        else f"serving release {current} again")
        return Outcome(False, current, messages)
    messages = [f"rolled back from release {current} to release {older[-1]}", serving_line(older[-1], server, reports)]
    return Outcome(True, older[-1], messages, reports[0] if reports else None, reports)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False, prog="python -m maritime_ner.ops.deploy", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("install", "add a built repository as a new release"), ("rollback", "serve the previous release")):
        cmd = sub.add_parser(name, help=text, allow_abbrev=False)
        cmd.add_argument("--target", required=True,
                         help="Triton model repository: a folder, HOST:FOLDER over ssh, or s3://[HOST:PORT/]BUCKET/PREFIX")
        cmd.add_argument("--url", help="gRPC HOST:PORT of a server in explicit model-control mode (load + verify); "
                                       "several, comma-separated, for replicas that read the same repository")
        cmd.add_argument("--smoke", type=Path, default=DEFAULT_SMOKE, help="smoke file for verify")
        cmd.add_argument("--no-verify", action="store_true", help="load only; skip the contract checks")
    sub.choices["install"].add_argument("--repository", type=Path, required=True, help="output of `make build-repo`")
    sub.choices["install"].add_argument("--keep", type=int, default=3, help="releases to keep on disk (served one included)")
    args = parser.parse_args(argv)
    urls = [u.strip() for u in (args.url or "").split(",") if u.strip()]
    try:
        target = parse_target(args.target)
    except DeployError as err:
        parser.error(str(err))
    servers = [Server(url, os.environ.get(contract.ADMIN_KEY_ENV)) for url in urls]
    check = None if args.no_verify or not servers else (lambda url, suffix: verify(url, "grpc", args.smoke, suffix))
    server = servers or None
    try:
        if args.command == "install":
            outcome = install(args.repository, target, server, check, args.keep)
        else:
            outcome = rollback(target, server, check)
    except DeployError as err:
        print(f"{args.command}: error: {err}", file=sys.stderr)
        return 1
    finally:
        for each in servers:
            each.close()
    print("\n".join(f"{args.command}: {m}" for m in outcome.messages), file=sys.stdout if outcome.ok else sys.stderr)
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
