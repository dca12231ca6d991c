#!/bin/sh
# After certbot renews the certificate: check nginx's configuration, then reload it so it serves
# the new certificate without dropping a connection. A broken configuration leaves the running
# nginx (and the old certificate, still valid for weeks) alone and fails loudly in certbot's log.
# Install as /etc/letsencrypt/renewal-hooks/deploy/avyia-nginx (mode 0755).
set -eu
nginx -t -q
systemctl reload nginx
