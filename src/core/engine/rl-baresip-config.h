/* rl-baresip-config.h: the files one run of baresip reads from its private
 * directory: its config, and with the system audio path through ALSA a file
 * that names the chosen devices. No account and no secret is ever in them.
 * Also what a run needs to know first: which baresip this is, and whether a
 * sound server answers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-engine.h"

G_BEGIN_DECLS

/* baresip from this major version on is "modern": call ids in commands,
 * modules instead of module_tmp, format conversion as modules, a native
 * PulseAudio module. Checked against 1.0.0 (Debian 12) and 4.10.0. */
#define RL_BARESIP_MODERN_MAJOR 4

typedef struct
{
  const char *listen_address;
  guint16 sip_port;
  guint16 ctrl_port;
  guint max_calls;
  gboolean null_audio; /* a test tone in, nothing out: no sound card needed */
  const char *module_path;
  guint major;                    /* baresip's major version; 0 when unknown */
  gboolean native_pulse;          /* its own PulseAudio module, on these devices: */
  const char *const *devices;     /* microphone, speaker, ringer; "" for the default */
  const char *audio_path;         /* its tones (ring.wav…); NULL: where it was built for */
  RlEngineFeatures media_modules; /* the NAT and encryption modules to load */
  gboolean g722;                  /* codecs beside G.711, when the install has them */
  gboolean opus;
  const char *tls_ca_file; /* "" for the system's trust store */
} RlBaresipConfig;

char *rl_baresip_config_probe_version (const char *binary, GError **error);
guint rl_baresip_config_major (const char *version);
RlEngineFeatures rl_baresip_config_features (const char *version);
gboolean rl_baresip_config_sound_server_answers (void);
gboolean rl_baresip_config_has_module (const char *module_path, const char *name);
char *rl_baresip_config_find_audio_path (const char *binary);
RlEngineFeatures rl_baresip_config_media_modules (const char *module_path);

guint16 rl_baresip_config_free_sip_port (const char *address);
guint16 rl_baresip_config_free_ctrl_port (void);
char *rl_baresip_config_text (const RlBaresipConfig *config);
char *rl_baresip_config_asoundrc (gboolean sound_server, char *const *devices);
gboolean rl_baresip_config_write (const char *dir, const char *config, const char *asoundrc,
                                  GError **error);

G_END_DECLS
