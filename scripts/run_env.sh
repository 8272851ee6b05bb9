# Sourced by `make migrate`, `make demo` and `make run` (not executed): the environment of a
# local trial run. DEBUG is off, so a mistyped address shows the back office's German 404 page,
# not Django's English debug page; `DEBUG=1 make run` turns it on for debugging.
#
# With DEBUG off Django needs a real SECRET_KEY and SECRETS_ENCRYPTION_KEY (config.E001/E002):
# they are made once per VAR_DIR and kept in $VAR_DIR/local-secrets.env, so logins and the
# stored Sendcloud keys survive the next `make run`. A VAR_DIR whose database was written
# before this file existed keeps the encryption key it was written with (the development
# key derived from the default SECRET_KEY), or its stored Sendcloud keys could not be read.
# Variables already set in the environment win over all of this.

_var_dir="${VAR_DIR:-var}"
_secrets="$_var_dir/local-secrets.env"
if [ ! -f "$_secrets" ]; then
    mkdir -p "$_var_dir"
    _random() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
    if [ -f "$_var_dir/backoffice.sqlite3" ]; then
        _dev_key="$(sed -n 's/^DEV_SECRET_KEY = "\(.*\)"$/\1/p' config/settings.py)"
        _encryption="dev:$_dev_key"
    else
        _encryption="$(_random)"
    fi
    umask 077
    printf '_SECRET_KEY=%s\n_SECRETS_ENCRYPTION_KEY=%s\n' "$(_random)" "$_encryption" \
        >"$_secrets.tmp" && mv "$_secrets.tmp" "$_secrets"
    umask 022
fi
. "$_secrets"
export SECRET_KEY="${SECRET_KEY:-$_SECRET_KEY}"
export SECRETS_ENCRYPTION_KEY="${SECRETS_ENCRYPTION_KEY:-$_SECRETS_ENCRYPTION_KEY}"
export DEBUG="${DEBUG:-0}"
# http://127.0.0.1: cookies marked Secure would never come back, and nobody could log in.
export SECURE_COOKIES="${SECURE_COOKIES:-0}"
export SERVE_STATIC="${SERVE_STATIC:-1}"
# config.W001 warns that the sandbox is used while DEBUG is off: here that is the point.
export SILENCED_SYSTEM_CHECKS="${SILENCED_SYSTEM_CHECKS:-config.W001}"
unset _var_dir _secrets _dev_key _encryption _SECRET_KEY _SECRETS_ENCRYPTION_KEY
