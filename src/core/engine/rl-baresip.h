/* rl-baresip.h: the call engine that places real calls: baresip as a
 * supervised child process, spoken to over its control socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-engine.h"

G_BEGIN_DECLS

typedef enum
{
  RL_ENGINE_AUDIO_SYSTEM, /* the user's sound server through ALSA's default device */
  RL_ENGINE_AUDIO_NULL,   /* a test tone in, nothing out: works with no sound card */
} RlEngineAudio;

#define RL_TYPE_BARESIP (rl_baresip_get_type ())
G_DECLARE_FINAL_TYPE (RlBaresip, rl_baresip, RL, BARESIP, GObject)

RlBaresip *rl_baresip_new (void);
void rl_baresip_start (RlBaresip *self);
void rl_baresip_stop (RlBaresip *self);
void rl_baresip_terminate (RlBaresip *self);
void rl_baresip_restart (RlBaresip *self, const char *why);
RlEngineAudio rl_baresip_get_audio (RlBaresip *self);
const char *rl_baresip_get_local_address (RlBaresip *self);
guint rl_baresip_get_pid (RlBaresip *self);
const char *rl_baresip_get_config_dir (RlBaresip *self);
void rl_baresip_set_listen_address (RlBaresip *self, const char *address);
void rl_baresip_set_audio_devices (RlBaresip *self, gboolean sound_server,
                                   const char *const *devices);
gboolean rl_baresip_restart_if_stale (RlBaresip *self);
void rl_baresip_set_tls_ca_file (RlBaresip *self, const char *path);

G_END_DECLS
