/* rl-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlError"

#include "rl-error.h"

static const GDBusErrorEntry rl_error_entries[] = {
  { RL_ERROR_FAILED, "org.ringline.Ringline.Error.Failed" },
  { RL_ERROR_INVALID_ARGUMENT, "org.ringline.Ringline.Error.InvalidArgument" },
  { RL_ERROR_NOT_REGISTERED, "org.ringline.Ringline.Error.NotRegistered" },
  { RL_ERROR_ENGINE_UNAVAILABLE, "org.ringline.Ringline.Error.EngineUnavailable" },
  { RL_ERROR_NOT_FOUND, "org.ringline.Ringline.Error.NotFound" },
  { RL_ERROR_INVALID_STATE, "org.ringline.Ringline.Error.InvalidState" },
  { RL_ERROR_PROTOCOL, "org.ringline.Ringline.Error.Protocol" },
  { RL_ERROR_TIMED_OUT, "org.ringline.Ringline.Error.TimedOut" },
  { RL_ERROR_NO_ACCOUNT, "org.ringline.Ringline.Error.NoAccount" },
  { RL_ERROR_OFFLINE, "org.ringline.Ringline.Error.Offline" },
  { RL_ERROR_AUTH_FAILED, "org.ringline.Ringline.Error.AuthFailed" },
  { RL_ERROR_BACKEND, "org.ringline.Ringline.Error.Backend" },
  { RL_ERROR_NOT_SIGNED_IN, "org.ringline.Ringline.Error.NotSignedIn" },
  { RL_ERROR_NO_AUDIO_DEVICE, "org.ringline.Ringline.Error.NoAudioDevice" },
  { RL_ERROR_NOT_SUPPORTED, "org.ringline.Ringline.Error.NotSupported" },
};

GQuark
rl_error_quark (void)
{
  static gsize quark = 0;

  /* Registering the domain makes GDBus send these as named D-Bus errors and
   * turn them back into RL_ERROR on the client side. */
  g_dbus_error_register_error_domain ("rl-error-quark", &quark, rl_error_entries,
                                      G_N_ELEMENTS (rl_error_entries));
  return (GQuark) quark;
}
