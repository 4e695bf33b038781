# Monitoring (docs/monitoring.md): Prometheus rules and their unit tests, the live canary.
# promtool and prometheus come from Debian's `prometheus` package, unpacked into .tools/ (no service is
# installed or started); `make test` needs promtool for tests/test_monitoring.py.
TOOLS := .tools
PROM_DIR := $(TOOLS)/prometheus
PROMTOOL := $(PROM_DIR)/usr/bin/promtool
PROM_RULES := deploy/prometheus/rules.yaml
PROM_RULES_TEST := deploy/prometheus/rules_test.yaml
CANARY_EVERY ?= 30
CANARY_PORT ?= 9465
CANARY_HOST ?= 127.0.0.1

.PHONY: promtool rules-check canary

promtool: $(PROMTOOL)

test: $(PROMTOOL)

$(PROMTOOL):
	mkdir -p $(TOOLS)/deb
	# A fresh machine has no package lists yet: update them once if the first download fails.
	cd $(TOOLS)/deb && rm -f prometheus_*.deb && { apt-get download prometheus || { apt-get update -qq && apt-get download prometheus; } || { \
		echo "promtool: 'apt-get download prometheus' failed: this needs Debian's package index (apt-get update) and its prometheus package" >&2; exit 1; }; }
	rm -rf $(PROM_DIR)
	dpkg-deb -x $(TOOLS)/deb/prometheus_*.deb $(PROM_DIR)
	test -x $@ && touch $@

rules-check: $(PROMTOOL)
	$(PROMTOOL) check rules $(PROM_RULES)
	$(PROMTOOL) test rules $(PROM_RULES_TEST)

# A canary against a live server: verifies every $(CANARY_EVERY) s, /metrics on $(CANARY_HOST):$(CANARY_PORT).
canary: | $(STAMP)
	$(CLI) verify --url $(TRITON_URL) --smoke $(SMOKE) --every $(CANARY_EVERY) \
		--metrics-port $(CANARY_PORT) --metrics-host $(CANARY_HOST)
