#!/bin/sh
# `make run`: serves the database given as $1 with the console and shows
# how to sign in. The admin password is HEARTH_ADMIN_PASSWORD, or one
# generated on the first run and kept in var/admin-password (mode 0600)
# so that later runs can show it again: a convenience of the demo
# set-up; a real installation sets its own (see deploy/).
set -eu
db="$1"
pwfile="$(dirname "$db")/admin-password"
if [ -z "${HEARTH_ADMIN_PASSWORD:-}" ]; then
	if [ ! -s "$pwfile" ]; then
		umask 077
		head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$pwfile"
	fi
	HEARTH_ADMIN_PASSWORD="$(cat "$pwfile")"
	export HEARTH_ADMIN_PASSWORD
fi
listen="${HEARTH_LISTEN:-127.0.0.1:8080}"
# Demo data is added only where missing; this also shows a feed URL.
build/hearth demo --db "$db" --listen "$listen" --demo-activities 1
cat <<MSG

  Hearth is starting.
  Console:  http://$listen/
  Sign in:  admin / $HEARTH_ADMIN_PASSWORD
  (stop with Ctrl-C; the database is $db)

MSG
exec build/hearth serve --db "$db" --listen "$listen"
