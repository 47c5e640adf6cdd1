/* rl-audio-devices.h: microphones and speakers from the sound server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  RL_AUDIO_ROLE_MICROPHONE,
  RL_AUDIO_ROLE_SPEAKER,
  RL_AUDIO_ROLE_RINGER,
  RL_AUDIO_N_ROLES,
} RlAudioRole;

#define RL_TYPE_AUDIO_DEVICES (rl_audio_devices_get_type ())
G_DECLARE_FINAL_TYPE (RlAudioDevices, rl_audio_devices, RL, AUDIO_DEVICES, GObject)

RlAudioDevices *rl_audio_devices_new (void);
gboolean rl_audio_devices_is_ready (RlAudioDevices *self);
const char *rl_audio_devices_get_problem (RlAudioDevices *self);
GVariant *rl_audio_devices_build_list (RlAudioDevices *self);
gboolean rl_audio_devices_has (RlAudioDevices *self, RlAudioRole role, const char *id);
const char *rl_audio_devices_get_preferred (RlAudioDevices *self, RlAudioRole role);
gboolean rl_audio_devices_set_preferred (RlAudioDevices *self, RlAudioRole role, const char *id,
                                         GError **error);
const char *rl_audio_devices_get_effective (RlAudioDevices *self, RlAudioRole role);
void rl_audio_devices_route_process (RlAudioDevices *self, guint pid);

gboolean rl_audio_role_from_string (const char *name, RlAudioRole *role);
const char *rl_audio_role_to_string (RlAudioRole role);
gboolean rl_audio_device_id_is_valid (const char *id);

G_END_DECLS
