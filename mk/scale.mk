# Scale-out (docs/scale-out.md): object-store deploys, the Helm chart and its offline checks.
# Tools that only the checks need live in their own venv, so the serving venv stays lean.
SCALE_VENV := .venv-scale
SCALE_STAMP := $(SCALE_VENV)/.installed
CHART := deploy/helm/maritime-ner
CHART_VALUES ?=
# $(PROMTOOL) (promtool unpacked from Debian's prometheus package) is made by mk/monitoring.mk.

.PHONY: scale-setup chart-check

scale-setup: $(SCALE_STAMP) $(PROMTOOL)

$(SCALE_STAMP): deploy/requirements-tools.txt
	test -x $(SCALE_VENV)/bin/python || $(PY) -m venv $(SCALE_VENV)
	$(SCALE_VENV)/bin/python -m pip install -q -r deploy/requirements-tools.txt
	touch $@

# Render the chart (default values, or CHART_VALUES=file), validate every object, check the autoscaling query.
chart-check: $(SCALE_STAMP) $(PROMTOOL)
	$(SCALE_VENV)/bin/python deploy/check_chart.py --chart $(CHART) --promtool $(PROMTOOL) $(if $(CHART_VALUES),--values $(CHART_VALUES))

test: $(SCALE_STAMP) $(PROMTOOL)
