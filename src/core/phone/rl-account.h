/* rl-account.h: a SIP account.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A NAT forgets a UDP mapping after 30 s to a few minutes of silence. */
#define RL_ACCOUNT_DEFAULT_KEEPALIVE 25
#define RL_ACCOUNT_MAX_KEEPALIVE 3600

#define RL_TYPE_ACCOUNT (rl_account_get_type ())
G_DECLARE_FINAL_TYPE (RlAccount, rl_account, RL, ACCOUNT, GObject)

RlAccount *rl_account_new_from_variant (GVariant *settings, GError **error);
RlAccount *rl_account_new_from_settings (GSettings *settings);
void rl_account_save_settings (RlAccount *self, GSettings *settings);

const char *const *rl_account_get_servers (RlAccount *self);
const char *rl_account_get_username (RlAccount *self);
const char *rl_account_get_auth_username (RlAccount *self);
const char *rl_account_get_password (RlAccount *self);
void rl_account_set_password (RlAccount *self, const char *password);
const char *rl_account_get_realm (RlAccount *self);
const char *rl_account_get_stun_server (RlAccount *self);
const char *rl_account_get_turn_server (RlAccount *self);
const char *rl_account_get_turn_username (RlAccount *self);
const char *rl_account_get_turn_password (RlAccount *self);
void rl_account_set_turn_password (RlAccount *self, const char *password);
gboolean rl_account_get_ice (RlAccount *self);
const char *rl_account_get_tls_ca_file (RlAccount *self);
const char *rl_account_get_media_enc (RlAccount *self);
const char *rl_account_get_media_encryption (RlAccount *self);
const char *rl_account_get_identity_header (RlAccount *self);
char *rl_account_dup_region (RlAccount *self);
guint rl_account_get_keepalive_interval (RlAccount *self);
const char *rl_account_get_media_nat (RlAccount *self);
const char *rl_account_get_display_name (RlAccount *self);
const char *rl_account_get_caller_id (RlAccount *self);
const char *rl_account_get_transport (RlAccount *self);
gboolean rl_account_get_register (RlAccount *self);
gboolean rl_account_get_remember_password (RlAccount *self);

char *rl_account_dup_domain (RlAccount *self);
char *rl_account_dup_aor (RlAccount *self);
gboolean rl_account_is_complete (RlAccount *self);
gboolean rl_account_is_loopback (RlAccount *self);
gboolean rl_account_same_identity (RlAccount *self, RlAccount *other);
gboolean rl_account_equal (RlAccount *self, RlAccount *other);
GVariant *rl_account_to_variant (RlAccount *self);

G_END_DECLS
