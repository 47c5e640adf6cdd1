/* rl-call-private.h: what only the phone may change on a call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-call.h"
#include "rl-end-reason.h"
#include "rl-quality.h"

G_BEGIN_DECLS

RlCall *_rl_call_new (RlCallDirection direction, const char *remote_uri, const char *remote_name,
                      const char *local_number, GVariant *options);
const char *_rl_call_get_engine_id (RlCall *self);
void _rl_call_set_engine_id (RlCall *self, const char *engine_id);
guint _rl_call_get_line (RlCall *self);
void _rl_call_set_line (RlCall *self, guint line);
void _rl_call_set_remote (RlCall *self, const char *remote_uri, const char *remote_name);
void _rl_call_set_contact (RlCall *self, const char *source, const char *id, const char *name);
void _rl_call_set_state (RlCall *self, RlCallState state);
void _rl_call_terminate (RlCall *self, const RlEndReason *reason);
void _rl_call_set_held (RlCall *self, gboolean local);
void _rl_call_set_held_remote (RlCall *self, gboolean remote);
gboolean _rl_call_get_held_local (RlCall *self);
void _rl_call_set_muted (RlCall *self, gboolean muted);
void _rl_call_set_post_dial (RlCall *self, const char *digits);
void _rl_call_set_early_media (RlCall *self, gboolean early_media);
void _rl_call_set_headers (RlCall *self, GVariant *headers);
void _rl_call_add_data (RlCall *self, GVariant *data);
char *_rl_call_take_post_dial (RlCall *self);
void _rl_call_set_recording (RlCall *self, gboolean recording, const char *url);
void _rl_call_add_quality_sample (RlCall *self, const RlQualitySample *sample);
void _rl_call_add_live_quality (RlCall *self, const RlQualityLive *live);
gboolean _rl_call_get_hangup_requested (RlCall *self);
void _rl_call_set_hangup_requested (RlCall *self);

G_END_DECLS
