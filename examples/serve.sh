#!/bin/sh
# make serve: the demo business's booking page on http://127.0.0.1:8080/book/
# under lighttpd with mod_cgi, from examples/lighttpd-appt.conf. The data
# directory is demo/ (made by appt-init --example if missing); mail stays
# in its outbox. Ctrl-C stops it.
set -e
cd "$(dirname "$0")/.."
top=$PWD
port=${PORT:-8080}
if [ ! -f demo/config.ini ]; then
	bin/appt-init --example demo > /dev/null
fi
grep -q '^\[web\]' demo/config.ini ||
    printf '\n[web]\nurl = http://127.0.0.1:%s/book\n' "$port" >> demo/config.ini
mkdir -p demo/.www
cat > demo/.lighttpd.conf <<CONF
var.appt_web = "$top/bin/appt-web"
var.appt_dir = "$top/demo"
server.document-root = "$top/demo/.www"
server.bind = "127.0.0.1"
server.port = $port
setenv.add-environment = ( "APPT_SHARE" => "$top/share/appt" )
include "$top/examples/lighttpd-appt.conf"
CONF
echo "The booking page of the demo business: http://127.0.0.1:$port/book/"
exec lighttpd -D -f demo/.lighttpd.conf
