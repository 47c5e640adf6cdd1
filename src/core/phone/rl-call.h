/* rl-call.h: one call, inbound or outbound.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-end-reason.h"

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  RL_CALL_DIRECTION_OUTBOUND,
  RL_CALL_DIRECTION_INBOUND,
} RlCallDirection;

/* Named as the phone events CRMs know (docs/dbus-api.md). */
typedef enum
{
  RL_CALL_STATE_CALLING,  /* outbound, not answered yet */
  RL_CALL_STATE_RINGING,  /* inbound, not answered yet */
  RL_CALL_STATE_ACCEPTED, /* answered, media up */
  RL_CALL_STATE_TERMINATED,
  RL_CALL_STATE_HELD, /* answered, on hold (see rl_call_get_held_by) */
} RlCallState;

/* Who holds an answered call; ours wins when both do. */
typedef enum
{
  RL_HELD_BY_NONE,
  RL_HELD_BY_LOCAL,
  RL_HELD_BY_REMOTE,
} RlHeldBy;

#define RL_TYPE_CALL (rl_call_get_type ())
G_DECLARE_FINAL_TYPE (RlCall, rl_call, RL, CALL, GObject)

const char *rl_call_get_id (RlCall *self);
RlCallDirection rl_call_get_direction (RlCall *self);
RlCallState rl_call_get_state (RlCall *self);
const char *rl_call_get_remote_uri (RlCall *self);
const char *rl_call_get_remote_number (RlCall *self);
const char *rl_call_get_remote_name (RlCall *self);
const char *rl_call_get_local_number (RlCall *self);
GDateTime *rl_call_get_started (RlCall *self);
GDateTime *rl_call_get_answered (RlCall *self);
GDateTime *rl_call_get_ended (RlCall *self);
RlEndCategory rl_call_get_end_reason (RlCall *self);
guint rl_call_get_end_code (RlCall *self);
const char *rl_call_get_end_text (RlCall *self);
guint rl_call_get_platform_code (RlCall *self);
const char *rl_call_get_platform_text (RlCall *self);
gboolean rl_call_get_muted (RlCall *self);
gboolean rl_call_get_recording (RlCall *self);
const char *rl_call_get_recording_url (RlCall *self);
RlHeldBy rl_call_get_held_by (RlCall *self);
GVariant *rl_call_get_quality (RlCall *self);
gboolean rl_call_is_active (RlCall *self);
gboolean rl_call_is_ringing_in (RlCall *self);
gboolean rl_call_get_early_media (RlCall *self);
GVariant *rl_call_get_headers (RlCall *self);
gboolean rl_call_check_data (GVariant *data, GError **error);
GVariant *rl_call_build_details (RlCall *self);

const char *rl_call_state_to_string (RlCallState state);
const char *rl_call_direction_to_string (RlCallDirection direction);
const char *rl_held_by_to_string (RlHeldBy held_by);

G_END_DECLS
