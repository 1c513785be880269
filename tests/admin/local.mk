# racoonctl against running racoon -Z daemons (root, namespaces; helpers in lib.sh, JSON
# checked by check-json.py against racoonctl-status.schema.json).
INTEGRATION_TESTS += tests/admin/racoonctl-cli.sh tests/admin/racoonctl-sa.sh
EXTRA_DIST += tests/admin/racoonctl-cli.sh tests/admin/racoonctl-sa.sh tests/admin/lib.sh \
	tests/admin/check-json.py tests/admin/racoonctl-status.schema.json
