/* rl-baresip-private.h: seams for tests of the engine's control channel and
 * audio devices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-baresip.h"

G_BEGIN_DECLS

guint16 _rl_baresip_get_ctrl_port (RlBaresip *self);
/* The next run listens on @port (a test squats on it first). */
void _rl_baresip_set_next_ctrl_port (RlBaresip *self, guint16 port);
/* Whether the engine's ALSA devices are the ones last chosen: a stream
 * baresip opens on its own (an incoming call's ringtone) uses them. */
gboolean _rl_baresip_get_audio_devices_written (RlBaresip *self);

G_END_DECLS
