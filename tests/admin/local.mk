# racoonctl against running racoon -Z daemons (root, namespaces): tests/admin/lib.sh.
INTEGRATION_TESTS += tests/admin/racoonctl-cli.sh
EXTRA_DIST += tests/admin/racoonctl-cli.sh tests/admin/lib.sh tests/admin/check-json.py \
	tests/admin/racoonctl-status.schema.json
