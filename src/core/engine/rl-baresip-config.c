/* rl-baresip-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlBaresip"

#include "rl-baresip-config.h"

#include <errno.h>
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#define SYSTEM_CA_PATH "/etc/ssl/certs"

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

/**
 * rl_baresip_config_probe_version:
 *
 * Asks @binary for its version ("baresip -h" prints it first). Blocks: for
 * a worker thread.
 *
 * Returns: (transfer full) (nullable): "1.0.0", "4.10.0"…
 */
char *
rl_baresip_config_probe_version (const char *binary, GError **error)
{
  const char *argv[] = { binary, "-h", NULL };
  g_autofree char *out = NULL;
  g_autoptr (GRegex) re = g_regex_new ("baresip\\s+v?([0-9]+\\.[0-9]+\\.[0-9]+)", 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_STDERR_TO_DEV_NULL | G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, &out,
                     NULL, NULL, error))
    return NULL;
  if (!g_regex_match (re, out, 0, &match))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s did not say its version",
                   binary);
      return NULL;
    }
  return g_match_info_fetch (match, 1);
}

guint
rl_baresip_config_major (const char *version)
{
  return version ? (guint) strtoul (version, NULL, 10) : 0;
}

/* What the control interface of @version offers beyond 1.0's. */
RlEngineFeatures
rl_baresip_config_features (const char *version)
{
  if (rl_baresip_config_major (version) < RL_BARESIP_MODERN_MAJOR)
    return RL_ENGINE_FEATURE_NONE;
  return RL_ENGINE_FEATURE_CALL_IDS | RL_ENGINE_FEATURE_HANGUP_STATUS
         | RL_ENGINE_FEATURE_CLOSE_REASON | RL_ENGINE_FEATURE_MUTE_STATE
         | RL_ENGINE_FEATURE_TLS_VERIFY | RL_ENGINE_FEATURE_CALL_HEADERS;
}

static char *
pulse_socket_path (void)
{
  const char *server = g_getenv ("PULSE_SERVER");

  if (server && *server)
    return g_str_has_prefix (server, "unix:") ? g_strdup (server + 5) : NULL;
  return g_build_filename (g_get_user_runtime_dir (), "pulse", "native", NULL);
}

/* Whether a PulseAudio-compatible server (PulseAudio, PipeWire's) accepts
 * connections now: baresip's own pulse module loads only then. Blocks
 * briefly (a local connect): for a worker thread. */
gboolean
rl_baresip_config_sound_server_answers (void)
{
  g_autofree char *path = pulse_socket_path ();
  g_autoptr (GSocket) sock = NULL;
  g_autoptr (GSocketAddress) address = NULL;

  if (path == NULL)
    return FALSE;
  sock = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, NULL);
  address = g_unix_socket_address_new (path);
  return sock && g_socket_connect (sock, address, NULL, NULL);
}

gboolean
rl_baresip_config_has_module (const char *module_path, const char *name)
{
  g_autofree char *path = g_build_filename (module_path, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* A relocated baresip (the Flatpak's, a test build) finds its tones beside
 * itself, not where it was built for. Blocks: for a worker thread.
 * Returns: (nullable): share/baresip next to @binary's bin/, if it has them */
char *
rl_baresip_config_find_audio_path (const char *binary)
{
  g_autofree char *dir = g_path_get_dirname (binary);
  g_autofree char *share = g_build_filename (dir, "..", "share", "baresip", NULL);
  g_autofree char *ring = g_build_filename (share, "ring.wav", NULL);

  return g_file_test (ring, G_FILE_TEST_EXISTS) ? g_canonicalize_filename (share, NULL) : NULL;
}

static const struct
{
  const char *module;
  RlEngineFeatures feature;
} media_modules[] = {
  { "stun", RL_ENGINE_FEATURE_STUN },
  { "turn", RL_ENGINE_FEATURE_TURN },
  { "ice", RL_ENGINE_FEATURE_ICE },
  { "srtp", RL_ENGINE_FEATURE_SRTP },
  { "dtls_srtp", RL_ENGINE_FEATURE_DTLS_SRTP },
};

/* The media NAT and encryption modules @module_path has. Blocks: for a
 * worker thread. */
RlEngineFeatures
rl_baresip_config_media_modules (const char *module_path)
{
  RlEngineFeatures found = RL_ENGINE_FEATURE_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (media_modules); i++)
    {
      g_autofree char *name = g_strconcat (media_modules[i].module, ".so", NULL);

      if (rl_baresip_config_has_module (module_path, name))
        found |= media_modules[i].feature;
    }
  return found;
}

static void
append_audio (GString *c, const RlBaresipConfig *config)
{
  if (config->audio_path)
    g_string_append_printf (c, "audio_path %s\n", config->audio_path);
  if (config->null_audio)
    g_string_append (c, "audio_player aubridge,ringline\n"
                        "audio_source ausine,440\n"
                        "audio_alert aubridge,ringline-alert\n"
                        "ausrc_srate 48000\n"
                        "ausrc_channels 2\n");
  else if (config->native_pulse)
    {
      const char *const *d = config->devices;

      /* "default" is the server's default device in baresip's pulse module. */
      g_string_append_printf (c, "audio_source pulse,%s\n", *d[0] ? d[0] : "default");
      g_string_append_printf (c, "audio_player pulse,%s\n", *d[1] ? d[1] : "default");
      g_string_append_printf (c, "audio_alert pulse,%s\n", *d[2] ? d[2] : "default");
    }
  else
    /* ALSA names that the run's asoundrc points at the chosen devices. */
    g_string_append (c, "audio_player alsa,ringline_speaker\n"
                        "audio_source alsa,ringline_mic\n"
                        "audio_alert alsa,ringline_ringer\n");
}

static void
append_modules (GString *c, const RlBaresipConfig *config)
{
  gboolean modern = config->major >= RL_BARESIP_MODERN_MAJOR;

  g_string_append_printf (c, "module_path %s\n", config->module_path);
  /* G.722 needs spandsp, which a Flatpak may leave out: only what is there. */
  g_string_append (c, "module g711.so\n");
  if (config->g722)
    g_string_append (c, "module g722.so\n");
  if (config->opus)
    g_string_append (c, "module opus.so\n");
  /* Modern baresip converts sample formats and rates only in modules:
   * without them a 48 kHz source feeding an 8 kHz codec sends nothing. */
  if (modern)
    g_string_append (c, "module auconv.so\n"
                        "module auresamp.so\n");
  if (config->null_audio)
    g_string_append (c, "module ausine.so\n"
                        "module aubridge.so\n");
  else if (config->native_pulse)
    g_string_append (c, "module pulse.so\n");
  else
    g_string_append (c, "module alsa.so\n");
  /* Loaded whether the account uses them or not: the account is added at
   * run time, and a module missing is said when it is set. */
  for (guint i = 0; i < G_N_ELEMENTS (media_modules); i++)
    if (config->media_modules & media_modules[i].feature)
      g_string_append_printf (c, "module %s.so\n", media_modules[i].module);
  /* Modern baresip ignores module_tmp. */
  g_string_append (c, modern ? "module uuid.so\n"
                               "module_app account.so\n"
                             : "module_tmp uuid.so\n"
                               "module_tmp account.so\n");
  g_string_append (c, "module_app menu.so\n"
                      "module_app ctrl_tcp.so\n");
}

/* A modern baresip checks the registrar's certificate against the system's
 * authorities or the private PBX's file; 1.0 cannot check it at all, and
 * the phone does not use TLS with it (rl_phone_check_account()). */
static void
append_tls (GString *c, const RlBaresipConfig *config)
{
  if (config->major < RL_BARESIP_MODERN_MAJOR)
    return;
  g_string_append (c, "sip_verify_server yes\n");
  if (config->tls_ca_file && *config->tls_ca_file)
    g_string_append_printf (c, "sip_cafile %s\n", config->tls_ca_file);
  else
    g_string_append (c, "sip_capath " SYSTEM_CA_PATH "\n");
}

/* Returns: (transfer full): the config file's text */
char *
rl_baresip_config_text (const RlBaresipConfig *config)
{
  GString *c = g_string_new ("# Written by Ringline for one run of baresip. No accounts here:\n"
                             "# Ringline adds them over ctrl_tcp.\n");

  g_string_append (c, "poll_method epoll\n");
  g_string_append_printf (c, "sip_listen %s:%u\n", config->listen_address, config->sip_port);
  /* baresip takes its media address from an interface (the default
   * route's), not from sip_listen: bound to one address, it must be told,
   * or a modern one cannot reach a loopback peer at all. */
  if (!g_str_equal (config->listen_address, "0.0.0.0"))
    g_string_append_printf (c, "net_interface %s\n", config->listen_address);
  g_string_append_printf (c, "call_max_calls %u\n", config->max_calls);
  append_audio (c, config);
  /* baresip's own template range: a firewall rule can name it, and other programs
   * on the machine (the lab's sipp peers among them) can stay clear of it. */
  g_string_append (c, "rtp_ports 10000-20000\n"
                      "rtp_stats yes\n");
  append_modules (c, config);
  append_tls (c, config);
  /* Never "unix:…": baresip 4.10 does not parse it and silently listens on
   * 0.0.0.0:4444 instead. */
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

/* ALSA reads a configuration file again only when its inode or its mtime
 * (in seconds) changed since it last read it. A rewrite gets a new inode,
 * but the file system may hand out a freed one again within the same
 * second: each write moves the mtime on by at least a second, so no two
 * versions of the file ever look alike. */
static void
advance_mtime (const char *path, time_t before)
{
  time_t now = MAX (time (NULL), before + 1);
  struct timespec times[2] = { { .tv_sec = now }, { .tv_sec = now } };

  if (utimensat (AT_FDCWD, path, times, 0) != 0)
    g_debug ("cannot set the time of %s: %s", path, g_strerror (errno));
}

static gboolean
write_asoundrc (const char *dir, const char *text, GError **error)
{
  g_autofree char *alsa_dir = g_build_filename (dir, "alsa", NULL);
  g_autofree char *path = g_build_filename (alsa_dir, "asoundrc", NULL);
  GStatBuf before = { 0 };

  if (g_mkdir_with_parents (alsa_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "Cannot create %s: %s",
                   alsa_dir, g_strerror (errno));
      return FALSE;
    }
  if (g_stat (path, &before) != 0)
    before.st_mtime = 0;
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  advance_mtime (path, before.st_mtime);
  return TRUE;
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
