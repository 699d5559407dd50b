#!/bin/sh
# HEARTH_BIN for end-to-end tests under valgrind (make valgrind-e2e): the
# server built without sanitizers in build/vg/ (make vg-build), run by
# $HEARTH_VALGRIND (the Makefile's VALGRIND: any error or definite leak
# makes the exit code 1, which the harness's stop() reports).
root=$(cd "$(dirname "$0")/../.." && pwd)
exec ${HEARTH_VALGRIND:-valgrind -q --error-exitcode=1 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect \
	--show-leak-kinds=definite,indirect --track-origins=yes \
	--suppressions=$root/tests/valgrind.supp} \
	"$root/build/vg/build/hearth" "$@"
