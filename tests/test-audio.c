/* test-audio.c: choosing and switching audio devices, with a private
 * PulseAudio server whose null sinks and sine sources stand in for speakers,
 * headsets and microphones; calls go through the lab with the real baresip
 * playing through ALSA's pulse plugin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-baresip-private.h"
#include "rl-core.h"
#include "rl-error.h"
#include "rl-test-phone.h"
#include "rl-test-pulse.h"

static RlTestLab *lab;

typedef struct
{
  RlTestPulse *pulse;
  RlCore *core;
  RlPhone *phone;
  RlAudioDevices *audio;
} Fixture;

static const char *const lab_devices[] = {
  "module-null-sink sink_name=speaker_a sink_properties=device.description=Speakers",
  "module-null-sink sink_name=ring_c sink_properties=device.description=Ringer",
  "module-sine-source source_name=mic_a frequency=440",
  "module-sine-source source_name=mic_b frequency=880",
  NULL,
};

static gboolean
audio_ready (gpointer data)
{
  return rl_audio_devices_is_ready (((Fixture *) data)->audio);
}

static void
setup (Fixture *f, gconstpointer data)
{
  f->pulse = rl_test_pulse_start (lab_devices);
  g_free (rl_test_pulse_pactl (f->pulse, "set-default-sink speaker_a"));
  f->core = rl_core_new ();
  f->phone = rl_core_get_phone (f->core);
  f->audio = rl_core_get_audio_devices (f->core);
  rl_core_startup (f->core);
  g_assert_true (rl_test_wait (audio_ready, f, 10));
  g_assert_true (rl_test_wait (rl_test_engine_is_running, rl_phone_get_engine (f->phone), 10));
}

static void
teardown (Fixture *f, gconstpointer data)
{
  rl_core_shutdown (f->core);
  g_clear_object (&f->core);
  g_clear_pointer (&f->pulse, rl_test_pulse_stop);
}

typedef struct
{
  Fixture *f;
  RlAudioRole role;
  const char *id;
  gboolean present;
} DeviceWait;

static gboolean
device_present_is (gpointer data)
{
  DeviceWait *w = data;

  return rl_audio_devices_has (w->f->audio, w->role, w->id) == w->present;
}

static void
wait_device (Fixture *f, RlAudioRole role, const char *id, gboolean present)
{
  DeviceWait w = { f, role, id, present };

  if (!rl_test_wait (device_present_is, &w, 10))
    g_error ("%s %s never %s", rl_audio_role_to_string (role), id, present ? "came" : "went");
}

static char *
load_headset (Fixture *f)
{
  g_autofree char *out = rl_test_pulse_pactl (
    f->pulse,
    "load-module module-null-sink sink_name=headset sink_properties=device.description=Headset");

  return g_strstrip (g_strdup (out)); /* the module's index, to unload it */
}

static gboolean
list_has (GVariant *list, const char *key, const char *id)
{
  g_autoptr (GVariant) devices = g_variant_lookup_value (list, key, G_VARIANT_TYPE ("aa{sv}"));
  GVariantIter iter;
  GVariant *device;

  g_variant_iter_init (&iter, devices);
  while ((device = g_variant_iter_next_value (&iter)))
    {
      const char *got = NULL;
      gboolean match = g_variant_lookup (device, "id", "&s", &got) && g_str_equal (got, id);

      g_variant_unref (device);
      if (match)
        return TRUE;
    }
  return FALSE;
}

/* The server's devices are listed, monitors are not microphones, and a
 * device plugged in or out shows up and goes away. */
static void
test_devices_listed_and_followed (Fixture *f, gconstpointer data)
{
  g_autoptr (GVariant) list = g_variant_ref_sink (rl_audio_devices_build_list (f->audio));
  g_autofree char *module = NULL;
  g_autofree char *unload = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (list_has (list, "speakers", "speaker_a"));
  g_assert_true (list_has (list, "speakers", "ring_c"));
  g_assert_true (list_has (list, "microphones", "mic_a"));
  g_assert_true (list_has (list, "microphones", "mic_b"));
  g_assert_false (list_has (list, "microphones", "speaker_a.monitor"));

  module = load_headset (f);
  wait_device (f, RL_AUDIO_ROLE_SPEAKER, "headset", TRUE);
  unload = g_strdup_printf ("unload-module %s", module);
  g_free (rl_test_pulse_pactl (f->pulse, unload));
  wait_device (f, RL_AUDIO_ROLE_SPEAKER, "headset", FALSE);

  /* An absent device can be preferred (it is used when it comes back)... */
  g_assert_true (
    rl_audio_devices_set_preferred (f->audio, RL_AUDIO_ROLE_SPEAKER, "headset", &error));
  g_assert_cmpstr (rl_audio_devices_get_effective (f->audio, RL_AUDIO_ROLE_SPEAKER), ==, "");
  /* ...but not a name that could not be one. */
  g_assert_false (rl_audio_devices_set_preferred (f->audio, RL_AUDIO_ROLE_SPEAKER, "a\"b", &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT);
  /* The choice is a setting. */
  {
    g_autofree char *saved
      = g_settings_get_string (rl_core_get_settings (f->core), "audio-speaker");

    g_assert_cmpstr (saved, ==, "headset");
  }
}

static void
sign_in (Fixture *f, guint agent)
{
  g_autoptr (RlAccount) account = rl_test_lab_account (lab, agent, NULL);

  rl_phone_set_account (f->phone, account);
  g_assert_true (rl_test_wait (rl_test_phone_is_registered, f->phone, 10));
}

static gboolean
ready_to_call (gpointer data)
{
  Fixture *f = data;

  return rl_engine_get_state (rl_phone_get_engine (f->phone)) == RL_ENGINE_STATE_RUNNING
         && rl_test_phone_is_registered (f->phone);
}

typedef struct
{
  Fixture *f;
  const char *kind;
  const char *device;
} StreamWait;

static guint
engine_pid (Fixture *f)
{
  return rl_baresip_get_pid (RL_BARESIP (rl_phone_get_engine (f->phone)));
}

static gboolean
stream_on (gpointer data)
{
  StreamWait *w = data;
  g_autofree char *now = rl_test_pulse_stream_device (w->f->pulse, w->kind, engine_pid (w->f));

  if (g_strcmp0 (now, w->device) == 0)
    return TRUE;
  rl_test_sleep (100);
  return FALSE;
}

static void
wait_stream (Fixture *f, const char *kind, const char *device)
{
  StreamWait w = { f, kind, device };

  if (!rl_test_wait (stream_on, &w, 10))
    {
      g_autofree char *now = rl_test_pulse_stream_device (f->pulse, kind, engine_pid (f));

      g_error ("the engine's %s are on %s, not %s", kind, now, device);
    }
}

static gboolean
devices_written (gpointer data)
{
  return _rl_baresip_get_audio_devices_written (RL_BARESIP (rl_phone_get_engine (data)));
}

/* The choice is the engine's once its ALSA devices are written: a ringtone
 * baresip starts by itself a moment before would play on the last ones. */
static void
prefer (Fixture *f, RlAudioRole role, const char *id)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (rl_audio_devices_set_preferred (f->audio, role, id, &error));
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (devices_written, f->phone, 10));
}

/* A call opens on the chosen devices; choosing others moves it without a
 * break; an unplugged headset falls back to the default and the call goes
 * on; plugged in again, the call moves back to it. */
static void
test_call_follows_devices (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *module = NULL;
  g_autofree char *unload = NULL;
  RlCall *call;

  prefer (f, RL_AUDIO_ROLE_SPEAKER, "ring_c");
  prefer (f, RL_AUDIO_ROLE_MICROPHONE, "mic_b");
  sign_in (f, 0);
  call = rl_phone_dial (f->phone, rl_test_lab_extension (lab, "echo"), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rl_test_wait (rl_test_phone_talks, f->phone, 15));
  wait_stream (f, "sink-inputs", "ring_c");
  wait_stream (f, "source-outputs", "mic_b");

  prefer (f, RL_AUDIO_ROLE_MICROPHONE, "mic_a");
  wait_stream (f, "source-outputs", "mic_a");
  module = load_headset (f);
  wait_device (f, RL_AUDIO_ROLE_SPEAKER, "headset", TRUE);
  prefer (f, RL_AUDIO_ROLE_SPEAKER, "headset");
  wait_stream (f, "sink-inputs", "headset");

  unload = g_strdup_printf ("unload-module %s", module);
  g_free (rl_test_pulse_pactl (f->pulse, unload));
  wait_stream (f, "sink-inputs", "speaker_a");
  rl_test_sleep (1000);
  g_assert_cmpint (rl_call_get_state (call), ==, RL_CALL_STATE_ACCEPTED);

  g_free (module);
  module = load_headset (f);
  wait_stream (f, "sink-inputs", "headset");
  g_assert_cmpint (rl_call_get_state (call), ==, RL_CALL_STATE_ACCEPTED);
  g_assert_true (rl_phone_hangup (f->phone, call, &error));
}

/* Rings agent 1002 from the caller bot, checks which output the ringtone
 * plays on, and declines. */
static void
ring_on (Fixture *f, const char *device)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RlCall) call = NULL;

  rl_test_lab_call (lab, rl_test_lab_agent (lab, 1));
  g_assert_true (rl_test_wait (rl_test_phone_rings, f->phone, 10));
  call = g_object_ref (rl_phone_get_current_call (f->phone));
  wait_stream (f, "sink-inputs", device);
  g_assert_true (rl_phone_decline (f->phone, call, &error));
  g_assert_no_error (error);
  /* baresip can take a second to stop a ringtone on a null sink, which
   * works in two-second blocks. */
  g_assert_true (rl_test_wait (rl_test_call_has_ended, call, 10));
}

/* The ringtone plays on the ringer output, not on the call's speaker; a
 * choice made between calls applies to the next one. */
static void
test_ringer_device (Fixture *f, gconstpointer data)
{
  prefer (f, RL_AUDIO_ROLE_SPEAKER, "speaker_a");
  prefer (f, RL_AUDIO_ROLE_RINGER, "ring_c");
  sign_in (f, 1);
  ring_on (f, "ring_c");
  prefer (f, RL_AUDIO_ROLE_RINGER, "speaker_a");
  /* A modern engine's own pulse module reads the ringer at start: it
   * restarts once the declined call has left the phone (a moment after it
   * ended), and registers again. */
  rl_test_sleep (300);
  g_assert_true (rl_test_wait (ready_to_call, f, 15));
  ring_on (f, "speaker_a");
}

static char *sound_dir; /* where the sound server will be */

/* No sound server yet, as on a desktop whose audio has not started: its
 * socket's place is known, nothing answers there. */
static void
setup_without_sound (Fixture *f, gconstpointer data)
{
  g_autofree char *server = NULL;

  sound_dir = g_dir_make_tmp ("ringline-pulse-XXXXXX", NULL);
  server = rl_test_pulse_server_in (sound_dir);
  g_setenv ("PULSE_SERVER", server, TRUE);
  f->core = rl_core_new ();
  f->phone = rl_core_get_phone (f->core);
  f->audio = rl_core_get_audio_devices (f->core);
  rl_core_startup (f->core);
  g_assert_true (rl_test_wait (rl_test_engine_is_running, rl_phone_get_engine (f->phone), 10));
}

static gboolean
has_audio_problem (gpointer phone)
{
  return *rl_phone_get_audio_problem (phone) != '\0';
}

static gboolean
has_no_audio_problem (gpointer phone)
{
  return *rl_phone_get_audio_problem (phone) == '\0';
}

/* Without a microphone or speaker nothing is dialled and a ringing call
 * cannot be answered, but it rings; once a sound server with devices
 * appears, calls work at once. */
static void
test_no_device (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) list = NULL;
  g_autoptr (RlCall) ringing = NULL;
  const char *problem = NULL;
  gboolean usable = TRUE;
  RlCall *call;

  g_assert_true (rl_test_wait (has_audio_problem, f->phone, 10));
  g_assert_cmpstr (rl_phone_get_audio_problem (f->phone), ==,
                   "No microphone or speaker — connect a headset");
  list = g_variant_ref_sink (rl_audio_devices_build_list (f->audio));
  g_assert_true (g_variant_lookup (list, "usable", "b", &usable));
  g_assert_false (usable);
  g_assert_true (g_variant_lookup (list, "problem", "&s", &problem));
  g_assert_cmpstr (problem, ==, rl_phone_get_audio_problem (f->phone));

  sign_in (f, 1);
  call = rl_phone_dial (f->phone, rl_test_lab_extension (lab, "echo"), NULL, &error);
  g_assert_null (call);
  g_assert_error (error, RL_ERROR, RL_ERROR_NO_AUDIO_DEVICE);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (rl_phone_get_calls (f->phone)), ==, 0);

  rl_test_lab_call (lab, rl_test_lab_agent (lab, 1));
  g_assert_true (rl_test_wait (rl_test_phone_rings, f->phone, 10));
  ringing = g_object_ref (rl_phone_get_current_call (f->phone));
  g_assert_false (rl_phone_answer (f->phone, ringing, &error));
  g_assert_error (error, RL_ERROR, RL_ERROR_NO_AUDIO_DEVICE);
  g_clear_error (&error);
  g_assert_cmpint (rl_call_get_state (ringing), ==, RL_CALL_STATE_RINGING);
  g_assert_true (rl_phone_decline (f->phone, ringing, NULL));
  g_assert_true (rl_test_wait (rl_test_call_has_ended, ringing, 10));

  f->pulse = rl_test_pulse_start_in (sound_dir, lab_devices);
  g_clear_pointer (&sound_dir, g_free);
  g_assert_true (rl_test_wait (has_no_audio_problem, f->phone, 15));
  /* A modern engine restarts once, now idle, to load its own pulse module. */
  g_assert_true (rl_test_wait (ready_to_call, f, 15));
  call = rl_phone_dial (f->phone, rl_test_lab_extension (lab, "echo"), NULL, &error);
  g_assert_no_error (error);
  /* baresip 1.0 opens its streams through ALSA's pulse plugin, blocking its
   * loop a second or two on a null sink (more under a sanitizer). */
  g_assert_true (rl_test_wait (rl_test_phone_talks, f->phone, 30));
  g_assert_true (rl_phone_hangup (f->phone, call, &error));
}

int
main (int argc, char *argv[])
{
  g_autofree char *pulseaudio = g_find_program_in_path ("pulseaudio");
  int ret;

  g_test_init (&argc, &argv, NULL);
  rl_test_setup_env ();
  /* These tests are about real devices: the engine uses the sound server. */
  g_unsetenv ("RINGLINE_AUDIO");
  if (pulseaudio == NULL)
    {
      g_print ("1..0 # SKIP pulseaudio is not installed (./dev test installs it)\n");
      return 0;
    }
  lab = rl_test_lab_start ();
#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/audio/devices-listed-and-followed", test_devices_listed_and_followed);
  ADD ("/audio/call-follows-devices", test_call_follows_devices);
  ADD ("/audio/ringer-device", test_ringer_device);
  g_test_add ("/audio/no-device", Fixture, NULL, setup_without_sound, test_no_device, teardown);
#undef ADD
  ret = g_test_run ();
  rl_test_lab_stop (lab);
  return ret;
}
