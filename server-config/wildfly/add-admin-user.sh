#!/usr/bin/env bash
# The operator of Rendezvous on WildFly: an application user (Elytron's ApplicationRealm, a properties realm) named
# admin, in the group rendezvous-admin, which WildFly maps to the role of the same name that /admin/ needs.
#   JBOSS_HOME=/opt/wildfly RENDEZVOUS_ADMIN_PASSWORD=… server-config/wildfly/add-admin-user.sh
# Run it again to change the password. Without RENDEZVOUS_ADMIN_PASSWORD it asks for one (add-user.sh's own prompt).
set -euo pipefail
: "${JBOSS_HOME:?set JBOSS_HOME to the WildFly installation}"
if [[ -n "${RENDEZVOUS_ADMIN_PASSWORD:-}" ]]; then
    exec "$JBOSS_HOME/bin/add-user.sh" -a -s -u admin -p "$RENDEZVOUS_ADMIN_PASSWORD" -g rendezvous-admin
fi
exec "$JBOSS_HOME/bin/add-user.sh" -a -u admin -g rendezvous-admin
