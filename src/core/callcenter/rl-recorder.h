/* rl-recorder.h: call recording, done by the call center on its side and
 * asked for through its backend.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-history.h"
#include "rl-phone.h"
#include "rl-session.h"

G_BEGIN_DECLS

#define RL_TYPE_RECORDER (rl_recorder_get_type ())
G_DECLARE_FINAL_TYPE (RlRecorder, rl_recorder, RL, RECORDER, GObject)

RlRecorder *rl_recorder_new (RlPhone *phone, RlSession *session, RlHistory *history);
void rl_recorder_set_async (RlRecorder *self, RlCall *call, gboolean recording,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data);
gboolean rl_recorder_set_finish (RlRecorder *self, GAsyncResult *result, GError **error);

G_END_DECLS
