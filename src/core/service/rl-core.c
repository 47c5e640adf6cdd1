/* rl-core.c
 *
 * Owns the engine, the phone, contacts, history and the call-center objects,
 * wires them together, and keeps the account across restarts: its settings in GSettings, its
 * password in the keyring.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlCore"

#include "config.h"

#include "rl-core.h"
#include "rl-baresip.h"
#include "rl-call-private.h"
#include "rl-history-sync.h"
#include "rl-phone-number.h"
#include "rl-platform-code.h"
#include "rl-secret-store.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <libsecret/secret.h>
#include <netinet/in.h>

/* Quitting takes at most 2 s whatever the network does: 1.5 s for the
 * calls and the records, then a short grace for baresip before it is
 * killed. */
#define EXIT_LINE_MS 1500
#define EXIT_GRACE_MS 300
#define BACKGROUND_HOLD_MS 2000

struct _RlCore
{
  GObject parent_instance;

  GSettings *settings;
  RlBaresip *engine;
  RlPhone *phone;
  RlAudioDevices *audio;
  RlContactStore *contacts;
  RlSession *session;
  RlHistory *history;
  RlHistorySync *history_sync;
  RlAgentStatus *agent_status;
  RlRecorder *recorder;
  RlParkSlots *park_slots;
  RlCallerIds *caller_ids;
  RlBranding *branding;
  GCancellable *cancellable;
  RlAccount *loading_account; /* read from settings, waiting for its password */
  gboolean loading;
  guint pending_secrets; /* keyring writes in flight; quitting waits for them */
  gboolean shut_down;
  guint refresh_id;        /* a network change settling before registering again */
  guint stale_restart_id;  /* the last call just ended: the engine may take new settings */
  guint login_expired_id;  /* a call said the platform's login is over */
  gboolean started;        /* rl_core_startup() ran */
  gboolean held;           /* the engine and the contacts wait (rl_core_hold_background()) */
  guint hold_id;           /* how long they wait at most */
  char *addresses;         /* this machine's addresses when last looked at */
  GDBusConnection *system; /* for logind's PrepareForSleep */
  guint sleep_watch;
};

G_DEFINE_FINAL_TYPE (RlCore, rl_core, G_TYPE_OBJECT)

static void
on_secret_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlCore) self = user_data;
  g_autoptr (GError) error = NULL;

  self->pending_secrets--;
  /* The keyring's absence is not fatal: the account works for this session
   * and asks again next time. */
  if (!rl_secret_store_save_finish (result, &error) && error
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not update the keyring: %s", error->message);
}

static void
on_secret_cleared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlCore) self = user_data;
  g_autoptr (GError) error = NULL;

  self->pending_secrets--;
  if (!rl_secret_store_clear_finish (result, &error) && error)
    g_debug ("Could not clear the keyring: %s", error->message);
}

/* The account's identity in the keyring: its first server and user name. */
static const char *
secret_server (RlAccount *account)
{
  const char *const *servers = rl_account_get_servers (account);

  return servers[0] ? servers[0] : "";
}

/* One secret of the account: @server and @user name it in the keyring. */
static void
save_secret (RlCore *self, RlAccount *account, const char *server, const char *user,
             const char *secret)
{
  /* Not cancelled at quit: an account saved just before quitting must keep
   * its password (shutdown waits for these). */
  self->pending_secrets++;
  if (rl_account_get_remember_password (account) && *secret)
    rl_secret_store_save_async (server, user, secret, NULL, on_secret_done, g_object_ref (self));
  else
    rl_secret_store_clear_async (server, user, NULL, on_secret_cleared, g_object_ref (self));
}

/* The TURN server's password is kept under "turn:host[:port]". */
static char *
turn_secret_server (RlAccount *account)
{
  return g_strconcat ("turn:", rl_account_get_turn_server (account), NULL);
}

static void
save_account (RlCore *self, RlAccount *account)
{
  rl_account_save_settings (account, self->settings);
  save_secret (self, account, secret_server (account), rl_account_get_username (account),
               rl_account_get_password (account));
  if (*rl_account_get_turn_server (account))
    {
      g_autofree char *turn = turn_secret_server (account);

      save_secret (self, account, turn, rl_account_get_turn_username (account),
                   rl_account_get_turn_password (account));
    }
}

static void
on_account_changed (RlCore *self)
{
  RlAccount *account = rl_phone_get_account (self->phone);

  if (account && !self->loading)
    save_account (self, account);
  rl_baresip_set_tls_ca_file (self->engine, account ? rl_account_get_tls_ca_file (account) : "");
  if (g_list_model_get_n_items (rl_phone_get_calls (self->phone)) == 0)
    rl_baresip_restart_if_stale (self->engine);
}

/* Where loading an account ends: the phone takes it, unless SetAccount
 * came first (a newer account wins). */
static void
finish_loading (RlCore *self, RlAccount *account)
{
  if (rl_phone_get_account (self->phone) != NULL)
    return;
  self->loading = TRUE;
  rl_phone_set_account (self->phone, account);
  self->loading = FALSE;
}

/* Returns: (transfer full) (nullable): the secret, or NULL (logged) */
static char *
finish_lookup (GAsyncResult *result, gboolean *cancelled)
{
  g_autoptr (GError) error = NULL;
  char *secret = rl_secret_store_lookup_finish (result, &error);

  *cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  if (error && !*cancelled)
    g_warning ("Could not read the keyring: %s", error->message);
  return secret;
}

static void
on_turn_password_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlCore) self = user_data;
  g_autoptr (RlAccount) account = g_steal_pointer (&self->loading_account);
  gboolean cancelled;
  char *password = finish_lookup (result, &cancelled);

  if (password)
    {
      rl_account_set_turn_password (account, password);
      secret_password_free (password);
    }
  if (!cancelled && account)
    finish_loading (self, account);
}

static void
on_password_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlCore) self = user_data;
  g_autoptr (RlAccount) loaded = NULL;
  RlAccount *account = self->loading_account;
  gboolean cancelled;
  char *password = finish_lookup (result, &cancelled);

  if (password && account)
    rl_account_set_password (account, password);
  if (password)
    secret_password_free (password);
  if (cancelled || account == NULL)
    return;
  if (*rl_account_get_turn_server (account))
    {
      g_autofree char *turn = turn_secret_server (account);

      rl_secret_store_lookup_async (turn, rl_account_get_turn_username (account), self->cancellable,
                                    on_turn_password_loaded, g_object_ref (self));
      return;
    }
  loaded = g_steal_pointer (&self->loading_account);
  finish_loading (self, loaded);
}

static void
load_account (RlCore *self)
{
  g_autoptr (RlAccount) account = rl_account_new_from_settings (self->settings);

  if (!rl_account_is_complete (account))
    return;
  if (rl_account_is_loopback (account))
    rl_baresip_set_listen_address (self->engine, "127.0.0.1");
  g_set_object (&self->loading_account, account);
  rl_secret_store_lookup_async (secret_server (account), rl_account_get_username (account),
                                self->cancellable, on_password_loaded, g_object_ref (self));
}

static gboolean
any_call_active (RlPhone *phone)
{
  GListModel *calls = rl_phone_get_calls (phone);

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (calls, i);

      if (rl_call_is_active (call))
        return TRUE;
    }
  return FALSE;
}

/* A device came or went, or the agent chose another: the engine opens its
 * next streams on the effective devices, and a call in progress moves now. */
static void
apply_audio_devices (RlCore *self)
{
  const char *devices[RL_AUDIO_N_ROLES];

  for (guint i = 0; i < RL_AUDIO_N_ROLES; i++)
    devices[i] = rl_audio_devices_get_effective (self->audio, i);
  rl_baresip_set_audio_devices (self->engine, rl_audio_devices_is_ready (self->audio), devices);
  if (rl_baresip_get_audio (self->engine) == RL_ENGINE_AUDIO_SYSTEM)
    rl_phone_set_audio_problem (self->phone, rl_audio_devices_get_problem (self->audio));
  if (any_call_active (self->phone))
    rl_audio_devices_route_process (self->audio, rl_baresip_get_pid (self->engine));
  else if (g_list_model_get_n_items (rl_phone_get_calls (self->phone)) == 0)
    rl_baresip_restart_if_stale (self->engine);
}

static gboolean
restart_engine_when_idle (gpointer user_data)
{
  RlCore *self = user_data;

  self->stale_restart_id = 0;
  if (g_list_model_get_n_items (rl_phone_get_calls (self->phone)) == 0)
    rl_baresip_restart_if_stale (self->engine);
  return G_SOURCE_REMOVE;
}

/* Caller ID, for calls both ways: the number's contact names the call. */
static void
on_call_added (RlCore *self, RlCall *call)
{
  g_autoptr (RlContact) contact
    = rl_contact_store_lookup_number (self->contacts, rl_call_get_remote_number (call));

  if (contact)
    _rl_call_set_contact (call, contact->source, contact->id, contact->name);
}

/* The setting, else the locale's telephone convention, the account's
 * country, the language's region (rl_phone_number_default_region()). */
static void
apply_region (RlCore *self)
{
  g_autofree char *region = g_settings_get_string (self->settings, "contacts-region");
  RlAccount *account = rl_phone_get_account (self->phone);

  if (*region == '\0')
    {
      g_autofree char *country = account ? rl_account_dup_region (account) : NULL;

      g_free (region);
      region = rl_phone_number_default_region (country);
    }
  rl_contact_store_set_region (self->contacts, region);
}

static gboolean
sign_out_expired (gpointer data)
{
  RlCore *self = data;

  self->login_expired_id = 0;
  g_message ("The call platform says the login has expired: signing out");
  rl_session_sign_out (self->session, RL_SIGNED_OUT_LOGIN_EXPIRED);
  return G_SOURCE_REMOVE;
}

static void
on_call_state (RlCore *self, RlCall *call)
{
  g_autoptr (GVariant) record = NULL;

  /* The engine opened the call's streams from its ALSA configuration; moving
   * them once more costs nothing and covers a choice made a moment before. */
  if (rl_call_get_state (call) == RL_CALL_STATE_ACCEPTED)
    rl_audio_devices_route_process (self->audio, rl_baresip_get_pid (self->engine));
  if (rl_call_get_state (call) != RL_CALL_STATE_TERMINATED)
    return;
  /* Settings the engine could not take during the calls apply once the last
   * is over, after this call's end has been told everywhere. */
  if (self->stale_restart_id == 0)
    self->stale_restart_id = g_idle_add (restart_engine_when_idle, self);
  /* Into the history at once; the sync takes it to the backend after. */
  record = g_variant_ref_sink (rl_call_build_details (call));
  rl_history_add (self->history, record, rl_session_get_user_id (self->session), FALSE);
  /* The platform says the agent's login is over: sign in again. Not from
   * inside the phone's signal, which the sign-out's account change would
   * re-enter. */
  if (rl_call_get_platform_code (call) == RL_PLATFORM_CODE_LOGIN_EXPIRED
      && rl_session_get_signed_in (self->session) && self->login_expired_id == 0)
    self->login_expired_id = g_idle_add (sign_out_expired, self);
}

/* Agents who share a machine each see their own calls; without a sign-in,
 * the calls made then. */
static void
apply_history_owner (RlCore *self)
{
  rl_history_set_owner (self->history, rl_session_get_user_id (self->session));
}

/* The backend's SIP account replaces whatever account there was. */
static void
on_session_account (RlCore *self)
{
  RlAccount *account = rl_session_get_account (self->session);

  if (account == NULL)
    return;
  if (rl_account_is_loopback (account))
    rl_baresip_set_listen_address (self->engine, "127.0.0.1");
  rl_phone_set_account (self->phone, account);
}

/* Signing out unregisters and forgets the account the backend handed out. */
static void
on_signed_out (RlCore *self)
{
  RlAccount *account = rl_phone_get_account (self->phone);
  static const char *const keys[]
    = { "account-servers",       "account-username",     "account-auth-username",
        "account-realm",         "account-display-name", "account-caller-id",
        "account-transport",     "account-stun-server",  "account-turn-server",
        "account-turn-username", "account-ice" };

  if (account)
    {
      self->pending_secrets++;
      rl_secret_store_clear_async (secret_server (account), rl_account_get_username (account), NULL,
                                   on_secret_cleared, g_object_ref (self));
    }
  if (account && *rl_account_get_turn_server (account))
    {
      g_autofree char *turn = turn_secret_server (account);

      self->pending_secrets++;
      rl_secret_store_clear_async (turn, rl_account_get_turn_username (account), NULL,
                                   on_secret_cleared, g_object_ref (self));
    }
  rl_phone_set_account (self->phone, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (self->settings, keys[i]);
}

/* ---- the network and sleep ---- */

#define REFRESH_DELAY_MS 500 /* a change comes as several signals */

static gboolean
on_refresh_due (gpointer data)
{
  RlCore *self = data;

  self->refresh_id = 0;
  g_debug ("network changed or resumed: registering again");
  rl_phone_refresh_registration (self->phone);
  return G_SOURCE_REMOVE;
}

static void
refresh_soon (RlCore *self)
{
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_id = g_timeout_add (REFRESH_DELAY_MS, on_refresh_due, self);
}

/* This machine's addresses, sorted, as one string. */
static char *
local_addresses (void)
{
  struct ifaddrs *list = NULL;
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  if (getifaddrs (&list) != 0)
    return g_strdup ("");
  for (struct ifaddrs *i = list; i; i = i->ifa_next)
    {
      char text[INET6_ADDRSTRLEN] = "";
      int family = i->ifa_addr ? i->ifa_addr->sa_family : AF_UNSPEC;

      if (family == AF_INET)
        inet_ntop (family, &((struct sockaddr_in *) i->ifa_addr)->sin_addr, text, sizeof text);
      else if (family == AF_INET6)
        inet_ntop (family, &((struct sockaddr_in6 *) i->ifa_addr)->sin6_addr, text, sizeof text);
      if (*text)
        g_ptr_array_add (found, g_strdup (text));
    }
  freeifaddrs (list);
  g_ptr_array_sort (found, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (found, NULL);
  return g_strjoinv (" ", (char **) found->pdata);
}

/* GNetworkMonitor says "changed" for any change of routes; an address that
 * came or went is what the registrar cares about (Wi-Fi to VPN, a new
 * lease). */
static void
on_network_changed (RlCore *self, gboolean available)
{
  g_autofree char *now = local_addresses ();
  const char *used = rl_baresip_get_local_address (self->engine);
  g_auto (GStrv) addresses = NULL;

  if (!available || g_strcmp0 (now, self->addresses) == 0)
    return;
  g_free (self->addresses);
  self->addresses = g_steal_pointer (&now);
  addresses = g_strsplit (self->addresses, " ", -1);
  /* baresip keeps the address it took at start: gone, only a new baresip
   * has a reachable one (it registers when it is up). */
  if (used && !g_strv_contains ((const char *const *) addresses, used))
    rl_baresip_restart (self->engine, "The network address changed");
  else
    refresh_soon (self);
}

static void
on_prepare_for_sleep (GDBusConnection *connection, const char *sender, const char *path,
                      const char *iface, const char *signal, GVariant *params, gpointer user_data)
{
  gboolean sleeping = TRUE;

  if (g_variant_is_of_type (params, G_VARIANT_TYPE ("(b)")))
    g_variant_get (params, "(b)", &sleeping);
  if (!sleeping)
    refresh_soon (user_data);
}

static void
on_system_bus (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlCore) self = user_data;
  g_autoptr (GError) error = NULL;
  GDBusConnection *system = g_bus_get_finish (result, &error);

  if (system == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No system bus, so no resume from sleep: %s", error->message);
      return;
    }
  self->system = system;
  self->sleep_watch = g_dbus_connection_signal_subscribe (
    system, "org.freedesktop.login1", "org.freedesktop.login1.Manager", "PrepareForSleep",
    "/org/freedesktop/login1", NULL, G_DBUS_SIGNAL_FLAGS_NONE, on_prepare_for_sleep, self, NULL);
}

/* After a suspend or a change of network (Wi-Fi to VPN) the registration
 * may be gone or point at an address that is no more: register again then,
 * rather than when the registration interval ends. */
static void
watch_network (RlCore *self)
{
  self->addresses = local_addresses ();
  g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                           G_CALLBACK (on_network_changed), self, G_CONNECT_SWAPPED);
  g_bus_get (G_BUS_TYPE_SYSTEM, self->cancellable, on_system_bus, g_object_ref (self));
}

static void
rl_core_dispose (GObject *object)
{
  RlCore *self = RL_CORE (object);

  rl_core_shutdown (self);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->stale_restart_id, g_source_remove);
  g_clear_handle_id (&self->login_expired_id, g_source_remove);
  if (self->sleep_watch)
    g_dbus_connection_signal_unsubscribe (self->system, self->sleep_watch);
  self->sleep_watch = 0;
  g_clear_object (&self->system);
  g_clear_pointer (&self->addresses, g_free);
  g_clear_object (&self->history_sync);
  g_clear_object (&self->agent_status);
  g_clear_object (&self->recorder);
  g_clear_object (&self->park_slots);
  g_clear_object (&self->caller_ids);
  g_clear_object (&self->branding);
  g_clear_object (&self->history);
  g_clear_object (&self->session);
  g_clear_object (&self->phone);
  g_clear_object (&self->audio);
  g_clear_object (&self->contacts);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->loading_account);
  G_OBJECT_CLASS (rl_core_parent_class)->dispose (object);
}

static void
rl_core_class_init (RlCoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rl_core_dispose;
}

static void
rl_core_init (RlCore *self)
{
  const char *listen = g_getenv ("RINGLINE_SIP_LISTEN");

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  self->engine = rl_baresip_new ();
  if (listen && *listen)
    rl_baresip_set_listen_address (self->engine, listen);
  self->phone = rl_phone_new (RL_ENGINE (self->engine));
  g_settings_bind (self->settings, "max-calls", self->phone, "max-calls", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "auto-answer", self->phone, "auto-answer",
                   G_SETTINGS_BIND_DEFAULT);
  self->audio = rl_audio_devices_new ();
  g_settings_bind (self->settings, "audio-microphone", self->audio, "microphone",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "audio-speaker", self->audio, "speaker",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "audio-ringer", self->audio, "ringer", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_swapped (self->audio, "changed", G_CALLBACK (apply_audio_devices), self);
  g_signal_connect_swapped (self->phone, "call-state-changed", G_CALLBACK (on_call_state), self);
  apply_audio_devices (self);
  self->contacts = rl_contact_store_new (NULL);
  apply_region (self);
  g_signal_connect_swapped (self->settings, "changed::contacts-region", G_CALLBACK (apply_region),
                            self);
  g_signal_connect_swapped (self->phone, "call-added", G_CALLBACK (on_call_added), self);
  self->session = rl_session_new (self->settings);
  self->history = rl_history_new (NULL);
  self->history_sync = rl_history_sync_new (self->history, self->session);
  g_signal_connect_swapped (self->session, "notify::signed-in", G_CALLBACK (apply_history_owner),
                            self);
  g_signal_connect_swapped (self->session, "notify::agent", G_CALLBACK (apply_history_owner), self);
  g_signal_connect_swapped (self->session, "notify::account", G_CALLBACK (on_session_account),
                            self);
  g_signal_connect_swapped (self->session, "signed-out", G_CALLBACK (on_signed_out), self);
  self->agent_status = rl_agent_status_new (self->phone, self->session);
  g_settings_bind (self->settings, "wrap-up-seconds", self->agent_status, "wrap-up-seconds",
                   G_SETTINGS_BIND_GET);
  self->recorder = rl_recorder_new (self->phone, self->session, self->history);
  self->park_slots = rl_park_slots_new (self->phone, self->session, self->settings);
  self->caller_ids = rl_caller_ids_new (self->phone, self->session, self->settings);
  self->branding = rl_branding_new (self->settings, self->session);
  g_signal_connect_swapped (self->phone, "notify::account", G_CALLBACK (on_account_changed), self);
  g_signal_connect_swapped (self->phone, "notify::account", G_CALLBACK (apply_region), self);
}

RlCore *
rl_core_new (void)
{
  return g_object_new (RL_TYPE_CORE, NULL);
}

/* The engine's start (a process, its modules, a DTLS certificate) and the
 * contact index's load keep both cores busy for a few hundred ms. */
static void
start_background (RlCore *self)
{
  self->held = FALSE;
  g_clear_handle_id (&self->hold_id, g_source_remove);
  if (!self->started || self->shut_down)
    return;
  rl_contact_store_load (self->contacts);
  rl_baresip_start (self->engine);
}

static gboolean
on_hold_over (gpointer data)
{
  RlCore *self = data;

  self->hold_id = 0;
  g_debug ("nobody released the engine's start: starting it");
  start_background (self);
  return G_SOURCE_REMOVE;
}

/**
 * rl_core_hold_background:
 *
 * Before rl_core_startup(): the engine and the contact index start only at
 * rl_core_release_background() — a window releases them once its first
 * frame is on screen, so the agent sees it sooner — or after
 * BACKGROUND_HOLD_MS at the latest.
 */
void
rl_core_hold_background (RlCore *self)
{
  g_return_if_fail (RL_IS_CORE (self));
  g_return_if_fail (!self->started);

  self->held = TRUE;
}

void
rl_core_release_background (RlCore *self)
{
  g_return_if_fail (RL_IS_CORE (self));

  if (self->held)
    start_background (self);
}

void
rl_core_startup (RlCore *self)
{
  g_return_if_fail (RL_IS_CORE (self));

  self->started = TRUE;
  load_account (self);
  rl_session_restore (self->session);
  if (self->held)
    self->hold_id = g_timeout_add (BACKGROUND_HOLD_MS, on_hold_over, self);
  else
    start_background (self);
  watch_network (self);
}

static gboolean
on_wait_over (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Quitting right after a change must not lose it: the keyring writes in
 * flight get up to 3 s to land. */
static void
wait_for_secrets (RlCore *self)
{
  gboolean over = FALSE;
  guint timeout;

  if (self->pending_secrets == 0)
    return;
  timeout = g_timeout_add_seconds (3, on_wait_over, &over);
  while (self->pending_secrets > 0 && !over)
    g_main_context_iteration (NULL, TRUE);
  if (!over)
    g_source_remove (timeout);
}

/* What the clean exit waits for. Replies may come after it gave up
 * waiting: they hold a reference. */
typedef struct
{
  RlCore *core;
  gboolean engine_synced; /* baresip replied to a command sent after the rest */
  gboolean history_flushed;
} Exit;

static void
on_engine_synced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Exit *steps = user_data;

  g_free (rl_engine_command_finish (RL_ENGINE (source), result, NULL));
  steps->engine_synced = TRUE;
  g_rc_box_release (steps);
}

static void
on_history_flushed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Exit *steps = user_data;

  rl_history_flush_finish (RL_HISTORY (source), result, NULL);
  steps->history_flushed = TRUE;
  g_rc_box_release (steps);
}

static gboolean
line_is_clean (Exit *steps)
{
  return steps->engine_synced
         && g_list_model_get_n_items (rl_phone_get_calls (steps->core->phone)) == 0;
}

static gboolean
history_is_written (Exit *steps)
{
  return steps->history_flushed;
}

static gboolean
engine_has_exited (Exit *steps)
{
  return rl_baresip_get_pid (steps->core->engine) == 0;
}

/* Runs the main loop until @done or @deadline (monotonic µs). */
static void
wait_until (gboolean (*done) (Exit *steps), Exit *steps, gint64 deadline)
{
  gint64 left = deadline - g_get_monotonic_time ();
  gboolean over = FALSE;
  guint timeout;

  if (done (steps) || left <= 0)
    return;
  timeout = g_timeout_add (left / 1000 + 1, on_wait_over, &over);
  while (!done (steps) && !over)
    g_main_context_iteration (NULL, TRUE);
  if (!over)
    g_source_remove (timeout);
}

/* Leaves the line clean, in at most 2 s whatever the network does: every
 * call hung up (BYE, or CANCEL while ringing) and the account removed from
 * baresip, which sends its un-REGISTER at once (no answer is awaited); calls
 * the engine did not confirm ended end here, as hung up; every record on
 * disk; then baresip asked to exit, and killed if it has not after a grace
 * (it would wait for the registrar's answer, up to half a minute). */
static void
leave_the_line (RlCore *self)
{
  gint64 deadline = g_get_monotonic_time () + EXIT_LINE_MS * 1000;
  Exit *steps = g_rc_box_new0 (Exit);

  steps->core = self;
  rl_phone_end_all (self->phone);
  /* ctrl_tcp answers in order: a reply to this means the hangups and the
   * removal before it went out. */
  rl_engine_command_async (RL_ENGINE (self->engine), "about", "", RL_CTRL_FLAGS_NONE, NULL,
                           on_engine_synced, g_rc_box_acquire (steps));
  wait_until (line_is_clean, steps, deadline);
  rl_phone_drop_calls (self->phone);
  rl_history_flush_async (self->history, NULL, on_history_flushed, g_rc_box_acquire (steps));
  wait_until (history_is_written, steps, deadline);
  rl_baresip_terminate (self->engine);
  wait_until (engine_has_exited, steps, g_get_monotonic_time () + EXIT_GRACE_MS * 1000);
  steps->core = NULL;
  g_rc_box_release (steps);
}

/**
 * rl_core_shutdown:
 *
 * Ringline is going: ends the calls and unregisters, records everything,
 * stops baresip. Runs the main loop meanwhile, for a few seconds at most;
 * once only.
 */
void
rl_core_shutdown (RlCore *self)
{
  g_return_if_fail (RL_IS_CORE (self));

  if (self->shut_down)
    return;
  self->shut_down = TRUE;
  g_clear_handle_id (&self->hold_id, g_source_remove);
  wait_for_secrets (self);
  if (self->engine && self->phone && self->history)
    leave_the_line (self);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  if (self->engine)
    rl_baresip_stop (self->engine);
}

RlPhone *
rl_core_get_phone (RlCore *self)
{
  g_return_val_if_fail (RL_IS_CORE (self), NULL);

  return self->phone;
}

RlAudioDevices *
rl_core_get_audio_devices (RlCore *self)
{
  g_return_val_if_fail (RL_IS_CORE (self), NULL);

  return self->audio;
}

RlContactStore *
rl_core_get_contacts (RlCore *self)
{
  g_return_val_if_fail (RL_IS_CORE (self), NULL);

  return self->contacts;
}

RlSession *
rl_core_get_session (RlCore *self)
{
  g_return_val_if_fail (RL_IS_CORE (self), NULL);

  return self->session;
}

RlParkSlots *
rl_core_get_park_slots (RlCore *self)
{
  g_return_val_if_fail (RL_IS_CORE (self), NULL);

  return self->park_slots;
}

RlBranding *
rl_core_get_branding (RlCore *self)
{
  g_return_val_if_fail (RL_IS_CORE (self), NULL);

  return self->branding;
}

RlCallerIds *
rl_core_get_caller_ids (RlCore *self)
{
  g_return_val_if_fail (RL_IS_CORE (self), NULL);

  return self->caller_ids;
}

RlRecorder *
rl_core_get_recorder (RlCore *self)
{
  g_return_val_if_fail (RL_IS_CORE (self), NULL);

  return self->recorder;
}

RlAgentStatus *
rl_core_get_agent_status (RlCore *self)
{
  g_return_val_if_fail (RL_IS_CORE (self), NULL);

  return self->agent_status;
}

RlHistory *
rl_core_get_history (RlCore *self)
{
  g_return_val_if_fail (RL_IS_CORE (self), NULL);

  return self->history;
}

GSettings *
rl_core_get_settings (RlCore *self)
{
  g_return_val_if_fail (RL_IS_CORE (self), NULL);

  return self->settings;
}
