/* rl-test-lab.h: the tests' one fixture for the local SIP lab.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "rl-account.h"
#include "rl-history.h"

G_BEGIN_DECLS

typedef struct _RlTestLab RlTestLab;

RlTestLab *rl_test_lab_start (void);
void rl_test_lab_stop (RlTestLab *lab);
guint rl_test_lab_port (RlTestLab *lab);
const char *rl_test_lab_extension (RlTestLab *lab, const char *bot);
const char *rl_test_lab_agent (RlTestLab *lab, guint index);
const char *rl_test_lab_password (RlTestLab *lab, guint index);
GVariant *rl_test_lab_account_settings (RlTestLab *lab, guint index, const char *password);
GVariant *rl_test_lab_account_settings_with (RlTestLab *lab, guint index, GVariant *extra);
RlAccount *rl_test_lab_account (RlTestLab *lab, guint index, const char *password);
void rl_test_lab_call (RlTestLab *lab, const char *extension);
void rl_test_lab_call_from (RlTestLab *lab, const char *bot, const char *extension);
void rl_test_lab_caller_hangup (RlTestLab *lab);
char *rl_test_lab_bot (RlTestLab *lab, const char *bot, const char *command, const char *params);
const char *rl_test_lab_dir (RlTestLab *lab);
GVariant *rl_test_lab_turn_settings (RlTestLab *lab, gboolean ice);
char *rl_test_lab_turn_log (RlTestLab *lab);
GVariant *rl_test_lab_tls_settings (RlTestLab *lab, guint index, gboolean trusted);

const char *rl_test_lab_backend_url (RlTestLab *lab);
const char *rl_test_lab_backend_email (RlTestLab *lab, guint index);
const char *rl_test_lab_backend_password (RlTestLab *lab, guint index);
JsonNode *rl_test_lab_backend_request (RlTestLab *lab, const char *method, const char *path,
                                       const char *bearer, const char *json_body, guint *status);
void rl_test_lab_backend_fault (RlTestLab *lab, const char *path, const char *mode, guint count,
                                guint delay_ms);
void rl_test_lab_backend_fault_method (RlTestLab *lab, const char *method, const char *path,
                                       const char *mode, guint count, guint delay_ms);
void rl_test_lab_backend_redirect (RlTestLab *lab, const char *path, const char *location);
gint64 rl_test_lab_backend_stat (RlTestLab *lab, const char *name);
void rl_test_lab_backend_expire_tokens (RlTestLab *lab);
void rl_test_lab_backend_clock (RlTestLab *lab, gint64 offset);
void rl_test_lab_backend_stop (RlTestLab *lab);
void rl_test_lab_backend_start (RlTestLab *lab);

/* Iterates the main context until @done(@data) or @seconds pass. */
gboolean rl_test_wait (gboolean (*done) (gpointer data), gpointer data, guint seconds);
void rl_test_sleep (guint ms);
/* An async call's callback that keeps the result in *(GAsyncResult **) user_data. */
void rl_test_keep_result (GObject *source, GAsyncResult *result, gpointer user_data);
GAsyncResult *rl_test_wait_result (GAsyncResult **slot, guint seconds);
void rl_test_setup_env (void);
void rl_test_install_browser (void);
GVariant *rl_test_call_record (GDateTime *when, const char *id, const char *direction,
                               const char *number, const char *name, guint duration);
gboolean rl_test_tree_contains (const char *dir, const char *needle);
GVariant *rl_test_read_history (RlHistory *history, guint offset, guint limit, GError **error);
char *rl_test_free_port (void);
gboolean rl_test_udp_port_bound (guint port);
char *rl_test_free_media_port (void);
GSubprocess *rl_test_start_sipp (const char *scenario_name, const char *const *extra_args,
                                 guint *port);
void rl_test_assert_sipp_passed (GSubprocess *sipp);
void rl_test_die_with_parent (gpointer data);
void rl_test_remove_tree (const char *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlTestLab, rl_test_lab_stop)

G_END_DECLS
