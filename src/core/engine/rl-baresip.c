/* rl-baresip.c
 *
 * baresip runs as a child process with a config written to a private
 * directory under $XDG_RUNTIME_DIR. The config holds no account: the
 * account, with its password, is added at run time over the control socket,
 * so no secret reaches a file, argv, the environment or a log.
 *
 * When baresip exits or is killed, ::lost is emitted (calls end) and it is
 * started again with a growing delay; ::ready is emitted each time it is up,
 * which is when the phone adds the account again.
 *
 * Longer than most files: one run's lifecycle (config written, spawn,
 * control connection, ready, lost, restart with backoff, stop) is one state
 * machine over the same fields, easier to follow whole. What it writes is in
 * rl-baresip-config.c, what it reads from baresip's output in
 * rl-baresip-output.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlBaresip"

#include "config.h"

#include "rl-baresip-private.h"
#include "rl-engine-enums.h"
#include "rl-error.h"
#include "rl-baresip-config.h"
#include "rl-baresip-output.h"
#include "rl-end-reason.h"
#include "rl-socket-owner.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#define CONNECT_ATTEMPTS 100 /* every 50 ms: baresip is up in well under 5 s */
#define STABLE_SECONDS 60    /* up this long, the next crash restarts at once */
#define REFRESH_EXIT_MS 2000 /* a clean exit takes one un-REGISTER round trip */
/* For baresip to accept our connection: a loaded machine starting it can
 * take seconds between its listen() and its first turn of the loop. */
#define OWNER_WAIT_US (10 * G_USEC_PER_SEC)
#define CLOSED_GRACE_MS 200 /* a dying baresip's exit follows its socket's close */
#define WATCHDOG_TICK_MS 1000
/* baresip 1.0 blocks its loop up to 2 s stopping an ALSA stream (see
 * docs/architecture.md); silence beyond this is a hang. */
#define WATCHDOG_LIMIT_US (3 * G_USEC_PER_SEC)

#define ALSA_SYSTEM_CONFIG "/usr/share/alsa/alsa.conf"

static const guint backoff_ms[] = { 200, 500, 1000, 2000, 5000, 10000, 30000 };

struct _RlBaresip
{
  GObject parent_instance;

  RlEngineState state;
  char *binary;
  char *module_path;
  char *listen_address;
  guint max_calls;
  RlEngineAudio audio;
  gboolean sound_server;   /* a PulseAudio-compatible server routes the audio */
  char *audio_devices[3];  /* microphone, speaker, ringer; "" for the default */
  gboolean asoundrc_busy;  /* a write of it is in flight: writes never overlap */
  gboolean asoundrc_dirty; /* the devices changed during that write */
  GQueue held;             /* HeldCommand: commands waiting for that write */
  char *config_dir;
  char *version;
  char *probed_binary; /* the binary whose version self->version is */
  RlEngineFeatures features;
  gboolean native_pulse; /* this run plays through baresip's own pulse module */
  gboolean stale;        /* this run's config is not what was chosen since: restart when idle */
  char *tls_ca_file;     /* "" for the system's trust store */
  char *error;

  GSubprocess *process;
  RlBaresipOutput *output;
  RlSipTrace *trace;
  RlCtrlClient *client;
  GCancellable *cancellable; /* for everything tied to one run of baresip */
  guint16 sip_port;
  guint16 ctrl_port;
  guint16 forced_ctrl_port; /* tests: the next run's, once */
  guint connect_attempts;
  guint closed_grace_id;
  guint watchdog_id;
  gint64 ping_sent; /* when the outstanding liveness probe left; 0: none */
  guint restart_id;
  guint failures;
  gint64 running_since;
  gboolean stopping;
  gboolean refreshing; /* asked to exit cleanly, to start anew on new settings */
  guint refresh_timeout_id;
};

static void rl_baresip_engine_init (RlEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RlBaresip, rl_baresip, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RL_TYPE_ENGINE, rl_baresip_engine_init))

enum
{
  PROP_0,
  PROP_STATE,
  PROP_VERSION,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_run (RlBaresip *self);

static void release_held (RlBaresip *self);

static void
set_state (RlBaresip *self, RlEngineState state)
{
  if (self->state == state)
    return;
  self->state = state;
  if (state != RL_ENGINE_STATE_RUNNING)
    release_held (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_error (RlBaresip *self, const char *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error ? error : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* A command that opens a call's streams waits while the ALSA devices are
 * being written, and every command after it waits too, in order: the
 * streams open on the devices just chosen, not on the file's last version. */
typedef struct
{
  char *command;
  char *params;
  RlCtrlFlags flags;
  GTask *task;
} HeldCommand;

static void on_command_done (GObject *source, GAsyncResult *result, gpointer user_data);

static gboolean
opens_streams (const char *command)
{
  return g_str_equal (command, "dial") || g_str_equal (command, "accept");
}

static void
held_command_free (HeldCommand *held)
{
  g_free (held->command);
  g_free (held->params);
  g_clear_object (&held->task);
  g_free (held);
}

static void
send_command (RlBaresip *self, const char *command, const char *params, RlCtrlFlags flags,
              GTask *task)
{
  rl_ctrl_client_command_async (self->client, command, params, flags, g_task_get_cancellable (task),
                                on_command_done, task);
}

static void
release_held (RlBaresip *self)
{
  HeldCommand *held;

  while ((held = g_queue_pop_head (&self->held)))
    {
      if (self->state == RL_ENGINE_STATE_RUNNING && self->client)
        send_command (self, held->command, held->params, held->flags,
                      g_steal_pointer (&held->task));
      else
        g_task_return_new_error (held->task, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE,
                                 "The call engine is not running");
      held_command_free (held);
    }
}

/* ALSA reads the file again when it changes, so a new choice applies from
 * the next stream baresip opens; streams already playing are moved by the
 * sound server. */
static char *
build_asoundrc (RlBaresip *self)
{
  return rl_baresip_config_asoundrc (self->sound_server, self->audio_devices);
}

/* What a worker thread learns and writes before a run: which baresip this
 * is (once per binary), whether its own pulse module can load, then the
 * config and ALSA files in the run's directory. */
typedef struct
{
  char *binary;
  char *dir;
  char *version; /* in: known already, or NULL; out */
  gboolean system_audio;
  gboolean native_pulse;  /* out */
  gboolean start;         /* FALSE: write only the asoundrc */
  RlBaresipConfig config; /* its strings are the ones below */
  char *listen_address;
  char *module_path;
  char *devices[3];
  char *tls_ca_file;
  char *audio_path;
  char *config_text;      /* out */
  char *asoundrc;         /* NULL: none */
  gboolean owns_asoundrc; /* the write it makes is the one in flight */
} StartWork;

static StartWork *
start_work_new (RlBaresip *self, const char *binary, gboolean with_config, char *asoundrc)
{
  StartWork *work = g_new0 (StartWork, 1);
  RlBaresipConfig *c = &work->config;

  work->binary = g_strdup (binary);
  work->dir = g_strdup (self->config_dir);
  work->asoundrc = asoundrc;
  work->owns_asoundrc = asoundrc != NULL;
  if (!with_config)
    return work;
  if (g_strcmp0 (self->probed_binary, binary) == 0)
    work->version = g_strdup (self->version);
  work->start = TRUE;
  work->system_audio = self->audio == RL_ENGINE_AUDIO_SYSTEM;
  c->listen_address = work->listen_address = g_strdup (self->listen_address);
  c->module_path = work->module_path = g_strdup (self->module_path);
  for (guint i = 0; i < 3; i++)
    work->devices[i] = g_strdup (self->audio_devices[i] ? self->audio_devices[i] : "");
  c->devices = (const char *const *) work->devices;
  c->tls_ca_file = work->tls_ca_file = g_strdup (self->tls_ca_file);
  c->sip_port = self->sip_port;
  c->ctrl_port = self->ctrl_port;
  c->max_calls = self->max_calls;
  c->null_audio = self->audio == RL_ENGINE_AUDIO_NULL;
  return work;
}

static void
start_work_free (gpointer data)
{
  StartWork *work = data;

  g_free (work->binary);
  g_free (work->dir);
  g_free (work->version);
  g_free (work->listen_address);
  g_free (work->module_path);
  for (guint i = 0; i < G_N_ELEMENTS (work->devices); i++)
    g_free (work->devices[i]);
  g_free (work->tls_ca_file);
  g_free (work->audio_path);
  g_free (work->config_text);
  g_free (work->asoundrc);
  g_free (work);
}

/* Blocks (a spawn, a connect, file writes): runs in a worker thread. */
static gboolean
prepare_run (StartWork *work, GError **error)
{
  RlBaresipConfig *c = &work->config;

  if (work->version == NULL)
    {
      g_autoptr (GError) local = NULL;

      work->version = rl_baresip_config_probe_version (work->binary, &local);
      if (work->version == NULL)
        g_warning ("Cannot tell baresip's version, assuming 1.0's ways: %s", local->message);
    }
  c->major = rl_baresip_config_major (work->version);
  c->audio_path = work->audio_path = rl_baresip_config_find_audio_path (work->binary);
  c->media_modules = rl_baresip_config_media_modules (c->module_path);
  c->g722 = rl_baresip_config_has_module (c->module_path, "g722.so");
  c->opus = rl_baresip_config_has_module (c->module_path, "opus.so");
  work->native_pulse = work->system_audio && c->major >= RL_BARESIP_MODERN_MAJOR
                       && rl_baresip_config_has_module (c->module_path, "pulse.so")
                       && rl_baresip_config_sound_server_answers ();
  c->native_pulse = work->native_pulse;
  if (work->native_pulse)
    g_clear_pointer (&work->asoundrc, g_free);
  work->config_text = rl_baresip_config_text (c);
  return rl_baresip_config_write (work->dir, work->config_text, work->asoundrc, error);
}

static void
write_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  StartWork *work = task_data;
  GError *error = NULL;
  gboolean ok = work->start ? prepare_run (work, &error)
                            : rl_baresip_config_write (work->dir, NULL, work->asoundrc, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void rewrite_asoundrc (RlBaresip *self);

/* The devices chosen during the write are written next; the commands held
 * go once the file is current. */
static void
asoundrc_write_done (RlBaresip *self)
{
  self->asoundrc_busy = FALSE;
  if (self->asoundrc_dirty && !self->stopping)
    rewrite_asoundrc (self);
  else
    release_held (self);
}

static void
on_asoundrc_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RlBaresip *self = RL_BARESIP (source);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Cannot choose the audio devices: %s", error->message);
  asoundrc_write_done (self);
}

static void
rewrite_asoundrc (RlBaresip *self)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, on_asoundrc_written, NULL);

  self->asoundrc_busy = TRUE;
  self->asoundrc_dirty = FALSE;
  g_task_set_task_data (task, start_work_new (self, NULL, FALSE, build_asoundrc (self)),
                        start_work_free);
  g_task_run_in_thread (task, write_thread);
}

static void
child_setup (gpointer user_data)
{
  struct rlimit no_core = { 0, 0 };

  /* baresip must not outlive Ringline, even when Ringline is killed. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  /* It holds the account's passwords: a crash leaves no core file. */
  setrlimit (RLIMIT_CORE, &no_core);
}

static void schedule_restart (RlBaresip *self, const char *why);

static void
on_process_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlBaresip) self = user_data;
  GSubprocess *process = G_SUBPROCESS (source);
  g_autofree char *why = NULL;

  g_subprocess_wait_finish (process, result, NULL);
  if (process != self->process)
    return;
  if (g_subprocess_get_if_signaled (process))
    why = g_strdup_printf ("baresip was killed by signal %d", g_subprocess_get_term_sig (process));
  else
    why = g_strdup_printf ("baresip exited with status %d", g_subprocess_get_exit_status (process));
  while (self->output && rl_baresip_output_drain (self->output))
    ;
  g_clear_object (&self->output);
  g_clear_object (&self->process);
  if (self->stopping)
    return;
  if (self->refreshing)
    {
      g_clear_pointer (&why, g_free);
      why = g_strdup ("its settings changed");
      self->failures = 0;
    }
  schedule_restart (self, why);
}

static void
add_traced_reason (RlBaresip *self, RlEngineEvent *event)
{
  g_autofree char *traced = rl_sip_trace_take_reason (self->trace, event->call_id);
  char *both;

  if (traced == NULL)
    return;
  if (event->reason_header == NULL)
    {
      event->reason_header = g_steal_pointer (&traced);
      return;
    }
  both = g_strdup_printf ("%s, %s", event->reason_header, traced);
  g_free (event->reason_header);
  event->reason_header = both;
}

static void
on_client_event (RlCtrlClient *client, JsonObject *message, RlBaresip *self)
{
  g_autoptr (RlEngineEvent) event = rl_engine_event_new_from_json (message);
  gboolean offered = event->type == RL_ENGINE_EVENT_CALL_INCOMING;
  gboolean closed = event->type == RL_ENGINE_EVENT_CALL_CLOSED;

  /* baresip printed the message that offered or ended the call before it
   * sent this event: it is in the pipe now. */
  if ((offered || closed) && self->output)
    rl_baresip_output_drain (self->output);
  if (offered)
    event->headers = rl_sip_trace_take_offer (self->trace, event->call_id);
  if (closed)
    {
      /* An outgoing call's own INVITE was kept as well. */
      g_autoptr (GVariant) own_offer = rl_sip_trace_take_offer (self->trace, event->call_id);

      if (self->features & RL_ENGINE_FEATURE_CLOSE_REASON)
        rl_end_reason_split_param (&event->param, &event->reason_header);
      /* The trace adds what a modern baresip leaves out: a remote BYE's
       * Reason, and every reason-value after the first. */
      add_traced_reason (self, event);
    }
  rl_engine_emit_event (RL_ENGINE (self), event);
}

static void restart_run (RlBaresip *self, const char *why, gboolean gently);

/* baresip still runs but our connection is gone: ctrl_tcp takes one
 * client, so another process connected and took it over. It can now send
 * commands, so this run is done with: baresip is asked to end its calls
 * with a BYE and to unregister, and a new one starts on a fresh port. */
/* Whether @pid runs, as opposed to having exited and not been reaped yet. */
static gboolean
is_running (guint pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/stat", pid);
  g_autofree char *stat = NULL;
  const char *state;

  if (pid == 0 || !g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  state = strrchr (stat, ')');
  return state && state[1] == ' ' && state[2] != 'Z' && state[2] != 'X';
}

static gboolean
on_closed_grace_over (gpointer user_data)
{
  RlBaresip *self = user_data;

  self->closed_grace_id = 0;
  /* A loaded machine can be slow to tell us of the exit. */
  if (!is_running (rl_baresip_get_pid (self)))
    {
      schedule_restart (self, "baresip closed the control connection and exited");
      return G_SOURCE_REMOVE;
    }
  g_warning ("Another process took over the call engine's control connection; "
             "restarting the engine on a fresh port");
  restart_run (self, "another process took over the control connection", TRUE);
  return G_SOURCE_REMOVE;
}

static void
on_client_closed (RlCtrlClient *client, GError *error, RlBaresip *self)
{
  /* A refresh waits for the exit: baresip unregisters on its way out. */
  if (self->stopping || self->refreshing || client != self->client || self->closed_grace_id)
    return;
  /* The socket closes at once when baresip dies; its exit status comes a
   * moment later, and restarts it. */
  self->closed_grace_id = g_timeout_add (CLOSED_GRACE_MS, on_closed_grace_over, self);
}

static void
on_pong (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlBaresip) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *reply = rl_ctrl_client_command_finish (RL_CTRL_CLIENT (source), result, &error);

  /* A refusal is an answer too. */
  if (RL_CTRL_CLIENT (source) == self->client
      && (reply || g_error_matches (error, RL_ERROR, RL_ERROR_FAILED)))
    self->ping_sent = 0;
}

/* A stopped or hung baresip keeps its socket open and answers nothing. */
static gboolean
on_watchdog_tick (gpointer user_data)
{
  RlBaresip *self = user_data;
  gint64 now = g_get_monotonic_time ();

  if (self->ping_sent && now - self->ping_sent >= WATCHDOG_LIMIT_US)
    {
      self->watchdog_id = 0;
      restart_run (self, "baresip stopped answering", FALSE);
      return G_SOURCE_REMOVE;
    }
  if (self->ping_sent == 0)
    {
      self->ping_sent = now;
      rl_ctrl_client_command_async (self->client, "reginfo", NULL, RL_CTRL_FLAGS_QUIET,
                                    self->cancellable, on_pong, g_object_ref (self));
    }
  return G_SOURCE_CONTINUE;
}

static void
on_about (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlBaresip) self = user_data;

  /* Its text does not matter: an answer means the engine listens. */
  g_free (rl_ctrl_client_command_finish (RL_CTRL_CLIENT (source), result, NULL));
  if (RL_CTRL_CLIENT (source) != self->client)
    return;
  g_message ("baresip %s ready (pid %u, SIP port %u, audio %s)",
             self->version ? self->version : "?", rl_baresip_get_pid (self), self->sip_port,
             self->audio == RL_ENGINE_AUDIO_NULL ? "null"
             : self->native_pulse                ? "pulse"
                                                 : "alsa");
  self->running_since = g_get_monotonic_time ();
  self->ping_sent = 0;
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  self->watchdog_id = g_timeout_add (WATCHDOG_TICK_MS, on_watchdog_tick, self);
  set_error (self, "");
  set_state (self, RL_ENGINE_STATE_RUNNING);
  rl_engine_emit_ready (RL_ENGINE (self));
}

static void try_connect (RlBaresip *self);

static gboolean
retry_connect (gpointer user_data)
{
  RlBaresip *self = user_data;

  try_connect (self);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  RlCtrlClient *client;
  GPid pid;
  guint16 server_port;
  guint16 client_port;
} OwnerWork;

static void
owner_work_free (gpointer data)
{
  OwnerWork *work = data;

  g_object_unref (work->client);
  g_free (work);
}

#define FOREIGN_CHECKS 10

static void
owner_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  OwnerWork *work = task_data;
  gint64 deadline = g_get_monotonic_time () + OWNER_WAIT_US;
  guint foreign_seen = 0;
  RlSocketOwner owner;

  /* A socket baresip has just accepted can show in the TCP table a moment
   * before its descriptor shows among the process's: "foreign" is believed
   * only when it holds for FOREIGN_CHECKS looks in a row. */
  while (((owner = rl_socket_owner_check (work->pid, work->server_port, work->client_port))
            == RL_SOCKET_OWNER_PENDING
          || (owner == RL_SOCKET_OWNER_FOREIGN && ++foreign_seen < FOREIGN_CHECKS))
         && g_get_monotonic_time () < deadline && !g_cancellable_is_cancelled (cancellable))
    g_usleep (5000);
  g_task_return_int (task, owner);
}

static void
on_owner_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RlBaresip *self = RL_BARESIP (source);
  OwnerWork *work = g_task_get_task_data (G_TASK (result));
  gssize owner = g_task_propagate_int (G_TASK (result), NULL);

  if (work->client != self->client || owner < 0)
    return;
  if (owner == RL_SOCKET_OWNER_PENDING)
    {
      /* Not proof of a squatter; not proof of baresip either. */
      restart_run (self, "nobody took the control connection", FALSE);
      return;
    }
  if (owner != RL_SOCKET_OWNER_PROVEN)
    {
      g_warning ("Another process holds the call engine's control port %u: nothing was sent "
                 "to it; restarting the engine on a fresh port",
                 self->ctrl_port);
      restart_run (self, "another process holds the control port", FALSE);
      return;
    }
  g_signal_connect_object (work->client, "event", G_CALLBACK (on_client_event), self, 0);
  g_signal_connect_object (work->client, "closed", G_CALLBACK (on_client_closed), self, 0);
  rl_ctrl_client_start (work->client);
  rl_ctrl_client_command_async (work->client, "about", "", RL_CTRL_FLAGS_NONE, self->cancellable,
                                on_about, g_object_ref (self));
}

/* Nothing goes to the control port, the password least of all, until the
 * socket at its end is proven to be our own child's: any local user can
 * bind the port first (rl-socket-owner.c). */
static void
check_owner (RlBaresip *self, RlCtrlClient *client)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, on_owner_checked, NULL);
  OwnerWork *work = g_new0 (OwnerWork, 1);

  work->client = g_object_ref (client);
  work->pid = (GPid) rl_baresip_get_pid (self);
  work->server_port = self->ctrl_port;
  work->client_port = rl_ctrl_client_get_local_port (client);
  g_task_set_task_data (task, work, owner_work_free);
  g_task_run_in_thread (task, owner_thread);
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlBaresip) self = user_data;
  g_autoptr (GError) error = NULL;
  RlCtrlClient *client = RL_CTRL_CLIENT (source);
  gboolean connected = rl_ctrl_client_connect_finish (client, result, &error);

  /* Connecting to a loopback port nobody listens on yet can, rarely, pick
   * that very port as the source: TCP connects the socket to itself. */
  if (connected && rl_ctrl_client_get_local_port (client) == self->ctrl_port)
    {
      rl_ctrl_client_close (client);
      connected = FALSE;
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                           "connected to itself");
    }
  if (!connected)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || client != self->client)
        return;
      if (++self->connect_attempts >= CONNECT_ATTEMPTS || self->process == NULL)
        {
          schedule_restart (self, "baresip's control port did not open");
          return;
        }
      g_clear_object (&self->client);
      g_timeout_add_full (G_PRIORITY_DEFAULT, 50, retry_connect, g_object_ref (self),
                          g_object_unref);
      return;
    }
  check_owner (self, client);
}

static void
try_connect (RlBaresip *self)
{
  if (self->stopping || self->process == NULL)
    return;
  g_clear_object (&self->client);
  self->client = rl_ctrl_client_new ();
  rl_ctrl_client_connect_async (self->client, self->ctrl_port, self->cancellable, on_connected,
                                g_object_ref (self));
}

static gboolean
spawn (RlBaresip *self, GError **error)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;

  launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE
                                 | G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  g_subprocess_launcher_set_cwd (launcher, self->config_dir);
  if (self->audio == RL_ENGINE_AUDIO_SYSTEM)
    {
      /* ALSA notices changes only in its top-level files, so the run's file
       * is one of them, after the system's. */
      const char *system = g_getenv ("ALSA_CONFIG_PATH");
      g_autofree char *path = g_strdup_printf (
        "%s:%s/alsa/asoundrc", system && *system ? system : ALSA_SYSTEM_CONFIG, self->config_dir);

      g_subprocess_launcher_setenv (launcher, "ALSA_CONFIG_PATH", path, TRUE);
    }
  /* -s: the SIP trace, for the Reason headers the control interface does
   * not report (rl-sip-trace.c). */
  self->process = g_subprocess_launcher_spawn (launcher, error, self->binary, "-s", "-f",
                                               self->config_dir, NULL);
  if (self->process == NULL)
    return FALSE;
  self->output = rl_baresip_output_new (g_subprocess_get_stdout_pipe (self->process), self->trace);
  g_subprocess_wait_async (self->process, NULL, on_process_exited, g_object_ref (self));
  return TRUE;
}

static void
learn_engine (RlBaresip *self, StartWork *work)
{
  self->native_pulse = work->native_pulse;
  g_free (self->probed_binary);
  self->probed_binary = g_strdup (work->binary);
  self->features = rl_baresip_config_features (work->version) | work->config.media_modules;
  if (g_strcmp0 (self->version, work->version) != 0)
    {
      g_free (self->version);
      self->version = g_strdup (work->version);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERSION]);
    }
}

static void
on_config_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlBaresip) self = user_data;
  g_autoptr (GError) error = NULL;
  StartWork *work = g_task_get_task_data (G_TASK (result));

  if (work->owns_asoundrc)
    asoundrc_write_done (self);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        schedule_restart (self, error->message);
      return;
    }
  if (self->stopping)
    return;
  learn_engine (self, work);
  /* Settings changed while the files were written: write them again. */
  if (self->stale)
    {
      start_run (self);
      return;
    }
  if (!spawn (self, &error))
    {
      schedule_restart (self, error->message);
      return;
    }
  self->connect_attempts = 0;
  try_connect (self);
}

static void
start_run (RlBaresip *self)
{
  g_autofree char *binary = g_find_program_in_path (self->binary);
  g_autoptr (GTask) task = NULL;
  char *asoundrc = NULL;

  if (binary == NULL)
    {
      set_error (self, "baresip is not installed: calls cannot be made or received. "
                       "Install the baresip package and restart Ringline.");
      g_warning ("%s", self->error);
      set_state (self, RL_ENGINE_STATE_MISSING);
      return;
    }
  set_state (self, self->failures ? RL_ENGINE_STATE_RESTARTING : RL_ENGINE_STATE_STARTING);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->sip_port = rl_baresip_config_free_sip_port (self->listen_address);
  self->ctrl_port
    = self->forced_ctrl_port ? self->forced_ctrl_port : rl_baresip_config_free_ctrl_port ();
  self->forced_ctrl_port = 0;

  task = g_task_new (self, self->cancellable, on_config_written, g_object_ref (self));
  if (self->audio == RL_ENGINE_AUDIO_SYSTEM && !self->asoundrc_busy)
    {
      asoundrc = build_asoundrc (self);
      self->asoundrc_busy = TRUE;
      self->asoundrc_dirty = FALSE;
    }
  /* What changes from here on is not in this run. */
  self->stale = FALSE;
  g_task_set_task_data (task, start_work_new (self, binary, TRUE, asoundrc), start_work_free);
  g_task_run_in_thread (task, write_thread);
}

static gboolean
on_term_grace_over (gpointer user_data)
{
  g_subprocess_force_exit (G_SUBPROCESS (user_data));
  return G_SOURCE_REMOVE;
}

/* Gently: SIGTERM, for baresip to send its BYEs and unregister, and
 * SIGKILL if it has not exited after that. */
static void
kill_process (RlBaresip *self, gboolean gently)
{
  g_clear_object (&self->output);
  g_clear_handle_id (&self->closed_grace_id, g_source_remove);
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  if (self->process && gently)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      g_timeout_add_full (G_PRIORITY_DEFAULT, REFRESH_EXIT_MS, on_term_grace_over,
                          g_object_ref (self->process), g_object_unref);
    }
  else if (self->process)
    g_subprocess_force_exit (self->process);
  g_clear_object (&self->process);
  if (self->client)
    {
      /* Our own close is no takeover. */
      g_signal_handlers_disconnect_by_data (self->client, self);
      rl_ctrl_client_close (self->client);
      g_clear_object (&self->client);
    }
}

static gboolean
on_restart_timeout (gpointer user_data)
{
  RlBaresip *self = user_data;

  self->restart_id = 0;
  start_run (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_restart (RlBaresip *self, const char *why)
{
  restart_run (self, why, FALSE);
}

static void
restart_run (RlBaresip *self, const char *why, gboolean gently)
{
  g_autoptr (GError) error = NULL;
  gboolean was_up = self->state == RL_ENGINE_STATE_RUNNING;
  guint delay;

  if (self->restart_id || self->stopping)
    return;
  if (was_up && g_get_monotonic_time () - self->running_since > STABLE_SECONDS * G_USEC_PER_SEC)
    self->failures = 0;
  delay = backoff_ms[MIN (self->failures, G_N_ELEMENTS (backoff_ms) - 1)];
  self->failures++;
  g_message ("call engine %s (%s); restarting in %u ms", self->refreshing ? "stopped" : "lost", why,
             delay);
  self->refreshing = FALSE;
  g_clear_handle_id (&self->refresh_timeout_id, g_source_remove);
  kill_process (self, gently);
  set_error (self, why);
  set_state (self, RL_ENGINE_STATE_RESTARTING);
  error = g_error_new_literal (RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE, why);
  rl_engine_emit_lost (RL_ENGINE (self), error);
  self->restart_id = g_timeout_add (delay, on_restart_timeout, self);
}

static void
rl_baresip_dispose (GObject *object)
{
  RlBaresip *self = RL_BARESIP (object);

  rl_baresip_stop (self);
  G_OBJECT_CLASS (rl_baresip_parent_class)->dispose (object);
}

static void
rl_baresip_finalize (GObject *object)
{
  RlBaresip *self = RL_BARESIP (object);

  g_clear_object (&self->cancellable);
  g_free (self->binary);
  g_free (self->module_path);
  g_free (self->listen_address);
  for (guint i = 0; i < G_N_ELEMENTS (self->audio_devices); i++)
    g_free (self->audio_devices[i]);
  g_free (self->config_dir);
  g_free (self->version);
  g_free (self->probed_binary);
  g_free (self->tls_ca_file);
  g_free (self->error);
  rl_sip_trace_free (self->trace);
  G_OBJECT_CLASS (rl_baresip_parent_class)->finalize (object);
}

static void
rl_baresip_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlBaresip *self = RL_BARESIP (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_VERSION:
      g_value_set_string (value, self->version);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_baresip_class_init (RlBaresipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rl_baresip_dispose;
  object_class->finalize = rl_baresip_finalize;
  object_class->get_property = rl_baresip_get_property;

  g_object_class_override_property (object_class, PROP_STATE, "state");
  g_object_class_override_property (object_class, PROP_VERSION, "version");
  g_object_class_override_property (object_class, PROP_ERROR, "error");
  properties[PROP_STATE] = g_object_class_find_property (object_class, "state");
  properties[PROP_VERSION] = g_object_class_find_property (object_class, "version");
  properties[PROP_ERROR] = g_object_class_find_property (object_class, "error");
}

static void
rl_baresip_init (RlBaresip *self)
{
  const char *binary = g_getenv ("RINGLINE_BARESIP");
  const char *modules = g_getenv ("RINGLINE_BARESIP_MODULES");
  const char *audio = g_getenv ("RINGLINE_AUDIO");
  g_autofree char *base = g_build_filename (g_get_user_runtime_dir (), "ringline", NULL);
  g_autofree char *name = g_strdup_printf ("engine-%d-%u", getpid (), g_random_int ());

  self->binary = g_strdup (binary && *binary ? binary : "baresip");
  self->module_path = g_strdup (modules && *modules ? modules : BARESIP_MODULE_PATH);
  self->audio = g_strcmp0 (audio, "null") == 0 ? RL_ENGINE_AUDIO_NULL : RL_ENGINE_AUDIO_SYSTEM;
  self->listen_address = g_strdup ("0.0.0.0");
  self->max_calls = 2;
  self->trace = rl_sip_trace_new ();
  self->config_dir = g_build_filename (base, name, NULL);
  self->error = g_strdup ("");
  self->tls_ca_file = g_strdup ("");
  self->cancellable = g_cancellable_new ();
}

RlBaresip *
rl_baresip_new (void)
{
  return g_object_new (RL_TYPE_BARESIP, NULL);
}

void
rl_baresip_start (RlBaresip *self)
{
  g_return_if_fail (RL_IS_BARESIP (self));
  if (self->state != RL_ENGINE_STATE_STOPPED)
    return;
  self->stopping = FALSE;
  self->failures = 0;
  start_run (self);
}

void
rl_baresip_stop (RlBaresip *self)
{
  g_return_if_fail (RL_IS_BARESIP (self));

  self->stopping = TRUE;
  self->refreshing = FALSE;
  g_clear_handle_id (&self->restart_id, g_source_remove);
  g_clear_handle_id (&self->refresh_timeout_id, g_source_remove);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  kill_process (self, FALSE);
  /* Nothing secret is in there, but a run's leftovers are clutter. */
  for (const char *const *n = (const char *const[]){ "config", "accounts", "contacts", "uuid",
                                                     "alsa/asoundrc", "alsa", NULL };
       *n; n++)
    {
      g_autofree char *path = g_build_filename (self->config_dir, *n, NULL);
      g_remove (path);
    }
  g_rmdir (self->config_dir);
  set_state (self, RL_ENGINE_STATE_STOPPED);
}

/**
 * rl_baresip_terminate:
 *
 * Asks baresip to exit (SIGTERM), as at quit: it is not restarted, and it
 * finishes what it still sends. rl_baresip_get_pid() is 0 once it has exited;
 * rl_baresip_stop() kills it if it has not.
 */
void
rl_baresip_terminate (RlBaresip *self)
{
  g_return_if_fail (RL_IS_BARESIP (self));

  self->stopping = TRUE;
  g_clear_handle_id (&self->restart_id, g_source_remove);
  if (self->process)
    g_subprocess_send_signal (self->process, SIGTERM);
}

/* Returns: whether calls use the sound server or go without audio on purpose
 * (RINGLINE_AUDIO=null, ringline --audio=none) */
RlEngineAudio
rl_baresip_get_audio (RlBaresip *self)
{
  g_return_val_if_fail (RL_IS_BARESIP (self), RL_ENGINE_AUDIO_SYSTEM);

  return self->audio;
}

/* Returns: (nullable): the address baresip's SIP messages carry, once it has
 * said */
const char *
rl_baresip_get_local_address (RlBaresip *self)
{
  g_return_val_if_fail (RL_IS_BARESIP (self), NULL);

  return self->output ? rl_baresip_output_get_local_address (self->output) : NULL;
}

/**
 * rl_baresip_restart:
 * @why: for the log and the calls' end
 *
 * Starts baresip anew, as after a crash (its calls end, the account is
 * added again): for when the address it took at start is gone.
 */
void
rl_baresip_restart (RlBaresip *self, const char *why)
{
  g_return_if_fail (RL_IS_BARESIP (self));

  if (self->state == RL_ENGINE_STATE_RUNNING)
    schedule_restart (self, why);
}

guint
rl_baresip_get_pid (RlBaresip *self)
{
  const char *id;

  g_return_val_if_fail (RL_IS_BARESIP (self), 0);

  id = self->process ? g_subprocess_get_identifier (self->process) : NULL;

  return id ? (guint) g_ascii_strtoull (id, NULL, 10) : 0;
}

const char *
rl_baresip_get_config_dir (RlBaresip *self)
{
  g_return_val_if_fail (RL_IS_BARESIP (self), NULL);

  return self->config_dir;
}

/**
 * rl_baresip_set_tls_ca_file:
 * @path: a PEM file of the authorities a private PBX's certificate comes
 *   from, or "" for the system's trust store
 *
 * A running engine restarts with it once idle (rl_baresip_restart_if_stale()).
 */
void
rl_baresip_set_tls_ca_file (RlBaresip *self, const char *path)
{
  g_return_if_fail (RL_IS_BARESIP (self));

  if (g_strcmp0 (self->tls_ca_file, path ? path : "") == 0)
    return;
  g_free (self->tls_ca_file);
  self->tls_ca_file = g_strdup (path ? path : "");
  if (self->state != RL_ENGINE_STATE_STOPPED && self->state != RL_ENGINE_STATE_MISSING)
    self->stale = TRUE;
}

/* Takes effect at the next (re)start. */
void
rl_baresip_set_listen_address (RlBaresip *self, const char *address)
{
  g_return_if_fail (RL_IS_BARESIP (self));
  g_return_if_fail (address != NULL);

  g_free (self->listen_address);
  self->listen_address = g_strdup (address);
}

/* baresip's pulse module: the player and source switch by command (the
 * call in progress moves with them); the alert device is read only at
 * start. */
static void
apply_pulse_devices (RlBaresip *self, const gboolean *changed)
{
  static const char *const commands[] = { "ausrc", "auplay" };

  if (!self->sound_server)
    {
      self->stale = TRUE;
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (changed[i] && self->client)
      {
        const char *device = self->audio_devices[i];
        g_autofree char *params = g_strdup_printf ("pulse,%s", *device ? device : "default");

        rl_ctrl_client_command_async (self->client, commands[i], params, RL_CTRL_FLAGS_NONE,
                                      self->cancellable, NULL, NULL);
      }
  if (changed[2])
    self->stale = TRUE;
}

/**
 * rl_baresip_set_audio_devices:
 * @sound_server: whether a PulseAudio-compatible server runs (else ALSA's default)
 * @devices: (array fixed-size=3): microphone, speaker and ringer ids, "" for the default
 *
 * Applies to the next stream baresip opens; moving streams already open is
 * the sound server's job (rl_audio_devices_route_process()).
 */
void
rl_baresip_set_audio_devices (RlBaresip *self, gboolean sound_server, const char *const *devices)
{
  gboolean same, changed[3];

  g_return_if_fail (RL_IS_BARESIP (self));
  g_return_if_fail (devices != NULL);

  same = self->sound_server == sound_server;
  for (guint i = 0; i < 3; i++)
    {
      changed[i] = g_strcmp0 (self->audio_devices[i], devices[i]) != 0;
      same = same && !changed[i];
      g_free (self->audio_devices[i]);
      self->audio_devices[i] = g_strdup (devices[i]);
    }
  self->sound_server = sound_server;
  if (same || self->audio != RL_ENGINE_AUDIO_SYSTEM || self->state == RL_ENGINE_STATE_STOPPED
      || self->state == RL_ENGINE_STATE_MISSING)
    return;
  if (self->native_pulse)
    {
      apply_pulse_devices (self, changed);
      return;
    }
  /* A modern baresip started without a sound server plays through ALSA;
   * its own pulse module loads only at start. */
  if (sound_server && self->probed_binary
      && rl_baresip_config_major (self->version) >= RL_BARESIP_MODERN_MAJOR)
    self->stale = TRUE;
  if (self->asoundrc_busy)
    self->asoundrc_dirty = TRUE;
  else
    rewrite_asoundrc (self);
}

static gboolean
on_refresh_timeout (gpointer user_data)
{
  RlBaresip *self = user_data;

  self->refresh_timeout_id = 0;
  schedule_restart (self, "baresip did not exit for a restart");
  return G_SOURCE_REMOVE;
}

/**
 * rl_baresip_restart_if_stale:
 *
 * To call when there are no calls: a run whose config no longer matches
 * the choices made since it started (a sound server that appeared, a new
 * ringer for baresip's own pulse module, another CA file) starts anew.
 *
 * Returns: whether the engine restarts
 */
gboolean
rl_baresip_restart_if_stale (RlBaresip *self)
{
  g_return_val_if_fail (RL_IS_BARESIP (self), FALSE);

  if (!self->stale || self->state != RL_ENGINE_STATE_RUNNING || self->process == NULL)
    return FALSE;
  self->stale = FALSE;
  self->refreshing = TRUE;
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  set_state (self, RL_ENGINE_STATE_RESTARTING);
  /* SIGTERM: baresip unregisters before it exits, so the registrar keeps
   * no stale contact; the restart follows its exit. */
  g_subprocess_send_signal (self->process, SIGTERM);
  self->refresh_timeout_id = g_timeout_add (REFRESH_EXIT_MS, on_refresh_timeout, self);
  return TRUE;
}

/* --- RlEngine --------------------------------------------------------- */

static RlEngineState
get_state (RlEngine *engine)
{
  return RL_BARESIP (engine)->state;
}

static const char *
get_version (RlEngine *engine)
{
  return RL_BARESIP (engine)->version;
}

static const char *
get_error (RlEngine *engine)
{
  return RL_BARESIP (engine)->error;
}

static RlEngineFeatures
get_features (RlEngine *engine)
{
  return RL_BARESIP (engine)->features;
}

/* baresip answers "486 Max Calls" to an INVITE beyond @max_calls, before
 * anything rings. Takes effect at the next (re)start; the phone enforces a
 * change at once meanwhile. */
static void
set_max_calls (RlEngine *engine, guint max_calls)
{
  RL_BARESIP (engine)->max_calls = MAX (max_calls, 1);
}

static void
on_command_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  char *reply = rl_ctrl_client_command_finish (RL_CTRL_CLIENT (source), result, &error);

  if (reply)
    g_task_return_pointer (task, reply, g_free);
  else
    g_task_return_error (task, error);
}

static void
command_async (RlEngine *engine, const char *command, const char *params, RlCtrlFlags flags,
               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  RlBaresip *self = RL_BARESIP (engine);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, command_async);
  if (self->state != RL_ENGINE_STATE_RUNNING || self->client == NULL)
    {
      g_task_return_new_error (
        task, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE, "%s",
        self->state == RL_ENGINE_STATE_MISSING ? self->error : "The call engine is not running");
      return;
    }
  if (!g_queue_is_empty (&self->held) || (self->asoundrc_busy && opens_streams (command)))
    {
      HeldCommand *held = g_new0 (HeldCommand, 1);

      held->command = g_strdup (command);
      held->params = g_strdup (params);
      held->flags = flags;
      held->task = g_steal_pointer (&task);
      g_queue_push_tail (&self->held, held);
      return;
    }
  send_command (self, command, params, flags, g_steal_pointer (&task));
}

static char *
command_finish (RlEngine *engine, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rl_baresip_engine_init (RlEngineInterface *iface)
{
  iface->get_state = get_state;
  iface->get_version = get_version;
  iface->get_error = get_error;
  iface->get_features = get_features;
  iface->set_max_calls = set_max_calls;
  iface->command_async = command_async;
  iface->command_finish = command_finish;
}

/* --- For tests --------------------------------------------------------- */

guint16
_rl_baresip_get_ctrl_port (RlBaresip *self)
{
  return self->ctrl_port;
}

void
_rl_baresip_set_next_ctrl_port (RlBaresip *self, guint16 port)
{
  self->forced_ctrl_port = port;
}

gboolean
_rl_baresip_get_audio_devices_written (RlBaresip *self)
{
  return !self->asoundrc_busy && !self->asoundrc_dirty;
}
