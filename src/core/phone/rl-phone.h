/* rl-phone.h: the account, its registration and the calls.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-account.h"
#include "rl-call.h"
#include "rl-engine.h"

G_BEGIN_DECLS

typedef enum
{
  RL_REGISTRATION_UNREGISTERED,
  RL_REGISTRATION_REGISTERING,
  RL_REGISTRATION_REGISTERED,
  RL_REGISTRATION_FAILED,
} RlRegistrationState;

/* Why registration failed, for words in the agent's language. */
typedef enum
{
  RL_REGISTRATION_PROBLEM_NONE,
  RL_REGISTRATION_PROBLEM_CREDENTIALS, /* 401, 403, 407 */
  RL_REGISTRATION_PROBLEM_CERTIFICATE, /* TLS: the server's certificate not trusted */
  RL_REGISTRATION_PROBLEM_OTHER,       /* no answer, a server error… */
} RlRegistrationProblem;

#define RL_TYPE_PHONE (rl_phone_get_type ())
G_DECLARE_FINAL_TYPE (RlPhone, rl_phone, RL, PHONE, GObject)

RlPhone *rl_phone_new (RlEngine *engine);
RlEngine *rl_phone_get_engine (RlPhone *self);
RlAccount *rl_phone_get_account (RlPhone *self);
void rl_phone_set_account (RlPhone *self, RlAccount *account);
gboolean rl_phone_register (RlPhone *self, GError **error);
gboolean rl_phone_unregister (RlPhone *self, GError **error);
void rl_phone_refresh_registration (RlPhone *self);
guint rl_phone_get_max_calls (RlPhone *self);
gboolean rl_phone_check_account (RlPhone *self, RlAccount *account, GError **error);
void rl_phone_set_max_calls (RlPhone *self, guint max_calls);
gboolean rl_phone_get_refuse_inbound (RlPhone *self);
void rl_phone_set_refuse_inbound (RlPhone *self, gboolean refuse);
gboolean rl_phone_get_auto_answer (RlPhone *self);
void rl_phone_set_auto_answer (RlPhone *self, gboolean auto_answer);
const char *rl_phone_get_audio_problem (RlPhone *self);
void rl_phone_set_audio_problem (RlPhone *self, const char *problem);
void rl_phone_expect_inbound (RlPhone *self, const char *number);
RlRegistrationState rl_phone_get_registration_state (RlPhone *self);
RlRegistrationProblem rl_phone_get_registration_problem (RlPhone *self);
const char *rl_phone_get_registration_error (RlPhone *self);
GListModel *rl_phone_get_calls (RlPhone *self);
RlCall *rl_phone_find_call (RlPhone *self, const char *id);
RlCall *rl_phone_get_current_call (RlPhone *self);
RlCall *rl_phone_dial (RlPhone *self, const char *target, GVariant *options, GError **error);
gboolean rl_phone_answer (RlPhone *self, RlCall *call, GError **error);
void rl_phone_add_call_data (RlPhone *self, RlCall *call, GVariant *data);
void rl_phone_set_caller_id (RlPhone *self, const char *number);
const char *rl_phone_get_caller_id (RlPhone *self);
gboolean rl_phone_is_caller_number (const char *number);
gboolean rl_phone_hangup (RlPhone *self, RlCall *call, GError **error);
gboolean rl_phone_decline (RlPhone *self, RlCall *call, GError **error);
gboolean rl_phone_hold (RlPhone *self, RlCall *call, GError **error);
gboolean rl_phone_resume (RlPhone *self, RlCall *call, GError **error);
gboolean rl_phone_set_muted (RlPhone *self, RlCall *call, gboolean muted, GError **error);
gboolean rl_phone_send_dtmf (RlPhone *self, RlCall *call, const char *digits, GError **error);
gboolean rl_phone_transfer (RlPhone *self, RlCall *call, const char *target, GError **error);
void rl_phone_end_all (RlPhone *self);
void rl_phone_drop_calls (RlPhone *self);

const char *rl_registration_state_to_string (RlRegistrationState state);

G_END_DECLS
