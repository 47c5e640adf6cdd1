/* rl-baresip-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlBaresip"

#include "rl-baresip-config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

static gboolean
bindable (GInetAddress *inet, guint16 port, GSocketType type, GSocketProtocol protocol)
{
  g_autoptr (GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, type, protocol, NULL);
  g_autoptr (GSocketAddress) addr = g_inet_socket_address_new (inet, port);

  return sock && g_socket_bind (sock, addr, FALSE, NULL);
}

/* A port the kernel calls free now, on @address. */
static guint16
any_free_port (GInetAddress *inet, GSocketType type, GSocketProtocol protocol)
{
  g_autoptr (GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, type, protocol, NULL);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (inet, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  if (sock == NULL || !g_socket_bind (sock, any, FALSE, NULL))
    return 0;
  bound = g_socket_get_local_address (sock, NULL);
  return bound ? g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)) : 0;
}

/* baresip's SIP listens on UDP and TCP at the port and adds TLS on the next
 * one: all three must be free. */
guint16
rl_baresip_config_free_sip_port (const char *address)
{
  g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (address);

  for (guint attempt = 0; inet && attempt < 50; attempt++)
    {
      guint16 port = any_free_port (inet, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP);

      if (port && port < G_MAXUINT16
          && bindable (inet, port, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP)
          && bindable (inet, port + 1, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP))
        return port;
    }
  return 0;
}

/* A loopback port for baresip's control socket. */
guint16
rl_baresip_config_free_ctrl_port (void)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  return any_free_port (loopback, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP);
}

/* Returns: (transfer full): the config file's text */
char *
rl_baresip_config_text (const RlBaresipConfig *config)
{
  GString *c = g_string_new ("# Written by Ringline for one run of baresip. No accounts here:\n"
                             "# Ringline adds them over ctrl_tcp.\n");

  g_string_append (c, "poll_method epoll\n");
  g_string_append_printf (c, "sip_listen %s:%u\n", config->listen_address, config->sip_port);
  g_string_append_printf (c, "call_max_calls %u\n", config->max_calls);
  if (config->null_audio)
    g_string_append (c, "audio_player aubridge,ringline\n"
                        "audio_source ausine,440\n"
                        "audio_alert aubridge,ringline-alert\n"
                        "ausrc_srate 48000\n"
                        "ausrc_channels 2\n");
  else
    /* ALSA names that the run's asoundrc points at the chosen devices. */
    g_string_append (c, "audio_player alsa,ringline_speaker\n"
                        "audio_source alsa,ringline_mic\n"
                        "audio_alert alsa,ringline_ringer\n");
  /* baresip's own template range: a firewall rule can name it, and other programs
   * on the machine (the lab's sipp peers among them) can stay clear of it. */
  g_string_append (c, "rtp_ports 10000-20000\n"
                      "rtp_stats yes\n");
  g_string_append_printf (c, "module_path %s\n", config->module_path);
  g_string_append (c, "module g711.so\n"
                      "module g722.so\n"
                      "module opus.so\n");
  if (config->null_audio)
    g_string_append (c, "module ausine.so\n"
                        "module aubridge.so\n");
  else
    g_string_append (c, "module alsa.so\n");
  g_string_append (c, "module_tmp uuid.so\n"
                      "module_tmp account.so\n"
                      "module_app menu.so\n"
                      "module_app ctrl_tcp.so\n");
  g_string_append_printf (c, "ctrl_tcp_listen 127.0.0.1:%u\n", config->ctrl_port);
  return g_string_free (c, FALSE);
}

static void
append_pcm (GString *rc, const char *name, const char *device, gboolean sound_server)
{
  if (!sound_server)
    g_string_append_printf (rc, "pcm.%s {\n  type plug\n  slave.pcm \"default\"\n}\n", name);
  else if (device && *device)
    g_string_append_printf (rc, "pcm.%s {\n  type pulse\n  device \"%s\"\n}\n", name, device);
  else
    g_string_append_printf (rc, "pcm.%s {\n  type pulse\n}\n", name);
}

/* baresip's ALSA devices, in a file ALSA reads after its own configuration.
 * ALSA reads it again when it changes, so a new choice applies from the next
 * stream baresip opens; streams already playing are moved by the sound server. */
char *
rl_baresip_config_asoundrc (gboolean sound_server, char *const *devices)
{
  GString *rc = g_string_new ("# Written by Ringline: the devices of its call engine.\n");

  append_pcm (rc, "ringline_mic", devices[0], sound_server);
  append_pcm (rc, "ringline_speaker", devices[1], sound_server);
  append_pcm (rc, "ringline_ringer", devices[2], sound_server);
  return g_string_free (rc, FALSE);
}

static gboolean
write_asoundrc (const char *dir, const char *text, GError **error)
{
  g_autofree char *alsa_dir = g_build_filename (dir, "alsa", NULL);
  g_autofree char *path = g_build_filename (alsa_dir, "asoundrc", NULL);

  if (g_mkdir_with_parents (alsa_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "Cannot create %s: %s",
                   alsa_dir, g_strerror (errno));
      return FALSE;
    }
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/**
 * rl_baresip_config_write:
 * @config: (nullable): the config; %NULL writes only the asoundrc
 * @asoundrc: (nullable): the ALSA file, if any
 *
 * Blocks: for a worker thread. The directory and files are the user's only.
 */
gboolean
rl_baresip_config_write (const char *dir, const char *config, const char *asoundrc, GError **error)
{
  g_autofree char *path = g_build_filename (dir, "config", NULL);

  g_return_val_if_fail (dir != NULL, FALSE);

  if (config == NULL)
    return asoundrc == NULL || write_asoundrc (dir, asoundrc, error);
  if (g_mkdir_with_parents (dir, 0700) != 0 || g_chmod (dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "Cannot create %s: %s", dir,
                   g_strerror (errno));
      return FALSE;
    }
  /* baresip writes templates for these when they are missing. */
  for (const char *const *name = (const char *const[]){ "accounts", "contacts", NULL }; *name;
       name++)
    {
      g_autofree char *empty = g_build_filename (dir, *name, NULL);

      if (!g_file_set_contents_full (empty, "", 0, G_FILE_SET_CONTENTS_NONE, 0600, error))
        return FALSE;
    }
  return g_file_set_contents_full (path, config, -1, G_FILE_SET_CONTENTS_NONE, 0600, error)
         && (asoundrc == NULL || write_asoundrc (dir, asoundrc, error));
}
