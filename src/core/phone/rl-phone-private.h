/* rl-phone-private.h: the phone's state and the seams between its parts.
 *
 * rl-phone.c is the object (properties, signals, accessors),
 * rl-phone-registration.c keeps the account's user agent in baresip
 * registered, rl-phone-calls.c turns engine events into calls and places
 * them, rl-phone-control.c acts on calls (answer, hold, DTMF…).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-call-private.h"
#include "rl-phone.h"

G_BEGIN_DECLS

struct _RlPhone
{
  GObject parent_instance;

  RlEngine *engine;
  RlAccount *account;
  char *ua_aor;    /* the UA added to baresip, NULL when none */
  guint server;    /* index of the server in use, for failover */
  gboolean wanted; /* the user wants to be registered */
  RlRegistrationState reg_state;
  char *reg_error;

  GListStore *calls;
  guint max_calls;
  gboolean refuse_inbound;
  gboolean auto_answer;
  RlRegistrationProblem reg_problem;
  char *caller_id;        /* chosen among the call center's numbers, or NULL */
  char *audio_problem;    /* "" when calls have sound */
  char *expected_inbound; /* a call asked for: rings even when refusing */
  GQueue dial_queue;      /* RlCall not sent to baresip yet */
  RlCall *dial_flight;    /* sent, waiting for its first event */
  guint dial_timeout_id;
  guint keepalive_id;    /* a registered UDP account's keep-alives */
  guint quality_id;      /* runs while there are calls */
  gboolean live_quality; /* baresip answers "audio_debug" */
  GHashTable *dtmf;      /* RlCall → digits still to send, with their timer */
  GCancellable *cancellable;
};

/* What an engine reply needs to find its call's phone, if it still exists. */
typedef struct
{
  GWeakRef phone;
  RlCall *call;
} RlPhoneReply;

RlPhoneReply *_rl_phone_reply_new (RlPhone *self, RlCall *call);
void _rl_phone_reply_free (RlPhoneReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlPhoneReply, _rl_phone_reply_free)

/* rl-phone.c */
void _rl_phone_set_registration (RlPhone *self, RlRegistrationState state, const char *error);
guint _rl_phone_n_calls (RlPhone *self);
void _rl_phone_emit_call_added (RlPhone *self, RlCall *call);
void _rl_phone_emit_call_state (RlPhone *self, RlCall *call);
void _rl_phone_emit_call_removed (RlPhone *self, RlCall *call);
void _rl_phone_emit_dtmf_received (RlPhone *self, RlCall *call, const char *key);
void _rl_phone_emit_dtmf_sent (RlPhone *self, RlCall *call, const char *key);
void _rl_phone_emit_transfer_result (RlPhone *self, RlCall *call, gboolean ok, const char *detail);

/* rl-phone-registration.c */
void _rl_phone_add_ua (RlPhone *self);
void _rl_phone_remove_ua (RlPhone *self);
gboolean _rl_phone_ua_usable (RlPhone *self);
void _rl_phone_update_keepalive (RlPhone *self);
void _rl_phone_on_registration_event (RlPhone *self, RlEngineEvent *event);

/* rl-phone-calls.c */
void _rl_phone_on_call_event (RlPhone *self, RlEngineEvent *event);
void _rl_phone_place (RlPhone *self, RlCall *call);
gboolean _rl_phone_unplace (RlPhone *self, RlCall *call);
void _rl_phone_end_call (RlPhone *self, RlCall *call, RlEndCategory category, guint code,
                         const char *text);
void _rl_phone_end_all_calls (RlPhone *self, RlEndCategory category, const char *text);
void _rl_phone_queue_digits (RlPhone *self, RlCall *call, const char *digits);
void _rl_phone_send_to_call (RlPhone *self, RlCall *call, const char *command, const char *params,
                             GAsyncReadyCallback callback);
void _rl_phone_send_hangup (RlPhone *self, RlCall *call, guint code, const char *reason,
                            GAsyncReadyCallback callback);
void _rl_phone_on_hangup_reply (GObject *source, GAsyncResult *result, gpointer user_data);
gint _rl_phone_auto_answer_delay (GVariant *headers);

/* rl-phone-control.c */
GHashTable *_rl_phone_dtmf_new (void);
void _rl_phone_forget_dtmf (RlPhone *self, RlCall *call);

G_END_DECLS
