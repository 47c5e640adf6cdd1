/* rl-quality.h: call quality from the engine's RTCP figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One RTCP report as baresip gives it: counters since the call started. */
typedef struct
{
  gint64 time_us; /* monotonic clock when it arrived */
  gint64 tx_packets;
  gint64 tx_lost; /* our packets the peer says it lost */
  gint64 tx_jitter_us;
  gint64 rx_packets;
  gint64 rx_lost; /* the peer's packets we never got */
  gint64 rx_jitter_us;
  gint64 rtt_us;
} RlQualitySample;

/* A call's RTP session as baresip's "audio_debug" shows it at any moment:
 * counters since the call started, -1 where the output has no figure. */
typedef struct
{
  gint64 time_us; /* monotonic clock when it was read */
  gint64 tx_packets;
  gint64 tx_octets; /* RTP payload */
  gint64 rx_packets;
  gint64 rx_lost; /* gaps the jitter buffer counted, when built to count them */
  gint64 rx_seq;  /* the sequence number the jitter buffer took last */
  gint64 rtt_us;  /* as of the last RTCP report, 0 when none carried one */
} RlQualityLive;

gboolean rl_quality_sample_from_json (JsonObject *rtcp_stats, RlQualitySample *sample);
GVariant *rl_quality_compute (const RlQualitySample *previous, const RlQualitySample *now);
gboolean rl_quality_live_from_debug (const char *text, RlQualityLive *live);
GVariant *rl_quality_refresh (GVariant *report, const RlQualityLive *previous,
                              const RlQualityLive *now);
const char *rl_quality_label (double loss_percent, double jitter_ms, double rtt_ms, double *mos);

G_END_DECLS
