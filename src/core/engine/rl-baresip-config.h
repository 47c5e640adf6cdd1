/* rl-baresip-config.h: the files one run of baresip reads from its private
 * directory: its config, and with the system audio path an ALSA file that
 * names the chosen devices. No account and no secret is ever in them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *listen_address;
  guint16 sip_port;
  guint16 ctrl_port;
  guint max_calls;
  gboolean null_audio; /* a test tone in, nothing out: no sound card needed */
  const char *module_path;
} RlBaresipConfig;

guint16 rl_baresip_config_free_sip_port (const char *address);
guint16 rl_baresip_config_free_ctrl_port (void);
char *rl_baresip_config_text (const RlBaresipConfig *config);
char *rl_baresip_config_asoundrc (gboolean sound_server, char *const *devices);
gboolean rl_baresip_config_write (const char *dir, const char *config, const char *asoundrc,
                                  GError **error);

G_END_DECLS
