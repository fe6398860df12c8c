#!/bin/sh
# "Pipe the draft": a sendmail wrapper that lints the outgoing message and hands it, byte for byte, to
# the real sendmail only when it is clean. Works for any mail client that sends through a sendmail-style
# command: mutt/neomutt (`set sendmail=`), aerc, alpine, git's sendemail.sendmailCmd, scripts.
#
#   set sendmail="/path/to/pipe-draft.sh"                          # ~/.muttrc or neomuttrc
#   set sendmail="env EMPATHYLINT_SENDMAIL=/usr/bin/msmtp /path/to/pipe-draft.sh"
#
# The message arrives on stdin; the arguments (recipients, -oi, -f …) are passed to the real sendmail
# unchanged. When the draft has findings nothing is sent: the warnings go to stderr (mutt shows them) and
# the exit status is 1; fix the draft and send again, or send it anyway with EMPATHYLINT_SKIP=1.
#
# Settings (environment):
#   EMPATHYLINT_SENDMAIL  the real sendmail               (default: /usr/sbin/sendmail)
#   EMPATHYLINT           the linter command              (default: empathylint)
#   EMPATHYLINT_ARGS      more options for `empathylint check`, split on spaces, e.g. "--fail-on error"
#   EMPATHYLINT_SKIP=1    pass the message through without linting
#
# Exit status: the real sendmail's when the message was passed on; 1 for findings; 2 when empathylint could
# not check the message (nothing is sent: a filter that cannot check must not wave the draft through).
set -u

sendmail=${EMPATHYLINT_SENDMAIL:-/usr/sbin/sendmail}
lint=${EMPATHYLINT:-empathylint}

draft=$(mktemp "${TMPDIR:-/tmp}/pipe-draft.XXXXXX") || exit 2
trap 'rm -f "$draft"' EXIT
trap 'exit 2' HUP INT TERM
# A file, not a pipe: the same bytes are read twice (lint, then send).
cat > "$draft" || exit 2

if [ "${EMPATHYLINT_SKIP:-}" != 1 ]; then
    $lint check - --input-format email ${EMPATHYLINT_ARGS:-} < "$draft" >&2
    status=$?
    case $status in
        0) ;;
        1) echo "pipe-draft: not sent: empathylint found problems in the draft (see above)." \
                "Edit it and send again, or send anyway with EMPATHYLINT_SKIP=1." >&2
           exit 1 ;;
        *) echo "pipe-draft: not sent: empathylint could not check the draft (exit $status)." >&2
           exit 2 ;;
    esac
fi

"$sendmail" "$@" < "$draft"
