# Interop with strongSwan's charon: helpers sourced by tests/vm/scenarios/9N-interop-*.sh
# (the scenarios run in the kernel lab, tests/vm/lab.sh).
EXTRA_DIST += tests/interop/lib.sh tests/interop/README.md docs/interop.md
