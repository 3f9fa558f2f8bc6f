#!/bin/bash
# manlint.sh: the built man pages are clean under mandoc's linter, warnings included.
command -v mandoc >/dev/null 2>&1 || { echo "SKIP: mandoc is not installed"; exit 77; }
status=0
for page in "$BUILDDIR"/man/forkgroup.8 "$BUILDDIR"/man/forkgroup.conf.5; do
	[ -f "$page" ] || { echo "FAIL: $page was not built"; exit 99; }
	out=$(mandoc -Tlint -W warning "$page" 2>&1)
	if [ -n "$out" ]; then
		echo "FAIL: mandoc -Tlint -W warning $page:"
		echo "$out"
		status=1
	else
		echo "ok: $page"
	fi
done
exit $status
