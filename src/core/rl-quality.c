/* rl-quality.c
 *
 * The label comes from a simplified ITU-T G.107 E-model, the usual way VoIP
 * monitors turn loss, jitter and delay into one figure:
 *
 *   delay = RTT / 2 + 2 × jitter + 10 ms
 *   R     = 93.2 − (delay < 160 ? delay / 40 : (delay − 120) / 10) − 2.5 × loss %
 *   MOS   = 1 + 0.035 R + 7·10⁻⁶ R (R − 60) (100 − R)
 *
 * and R ≥ 85 is excellent, ≥ 75 good, ≥ 60 fair, below that poor. With no
 * jitter or delay that puts the steps near 3 %, 7 % and 13 % loss.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-quality.h"

/* baresip reports packets, not octets: the bitrate assumes a G.711 frame of
 * 20 ms (160 bytes) plus its 12-byte RTP header. */
#define ESTIMATED_PACKET_BITS ((160 + 12) * 8)

static gboolean
read_int (JsonObject *object, const char *name, gint64 *out)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static JsonObject *
read_object (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Fills @sample from an event's "rtcp_stats"; FALSE when a figure is missing
 * or of the wrong type. */
gboolean
rl_quality_sample_from_json (JsonObject *rtcp_stats, RlQualitySample *sample)
{
  JsonObject *tx, *rx;

  g_return_val_if_fail (sample != NULL, FALSE);
  if (rtcp_stats == NULL)
    return FALSE;
  tx = read_object (rtcp_stats, "tx");
  rx = read_object (rtcp_stats, "rx");
  sample->time_us = g_get_monotonic_time ();
  return read_int (tx, "sent", &sample->tx_packets) && read_int (tx, "lost", &sample->tx_lost)
         && read_int (tx, "jit", &sample->tx_jitter_us)
         && read_int (rx, "sent", &sample->rx_packets) && read_int (rx, "lost", &sample->rx_lost)
         && read_int (rx, "jit", &sample->rx_jitter_us)
         && read_int (rtcp_stats, "rtt", &sample->rtt_us);
}

/**
 * rl_quality_label:
 * @mos: (out) (optional): the mean opinion score, 1 to 4.5
 *
 * Returns: "excellent", "good", "fair" or "poor".
 */
const char *
rl_quality_label (double loss_percent, double jitter_ms, double rtt_ms, double *mos)
{
  double delay = MAX (rtt_ms, 0) / 2 + 2 * MAX (jitter_ms, 0) + 10;
  double r = 93.2 - (delay < 160 ? delay / 40 : (delay - 120) / 10) - 2.5 * MAX (loss_percent, 0);

  r = CLAMP (r, 0, 100);
  if (mos)
    *mos = CLAMP (1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r), 1, 4.5);
  if (r >= 85)
    return "excellent";
  if (r >= 75)
    return "good";
  if (r >= 60)
    return "fair";
  return "poor";
}

static double
percent (gint64 part, gint64 whole)
{
  return whole > 0 ? 100.0 * CLAMP (part, 0, whole) / whole : 0;
}

/**
 * rl_quality_compute:
 * @previous: (nullable): the sample before @now, for figures over the interval
 *
 * Returns: (transfer floating): the quality as an a{sv}, see docs/dbus-api.md.
 */
GVariant *
rl_quality_compute (const RlQualitySample *previous, const RlQualitySample *now)
{
  RlQualitySample zero = { .time_us = now->time_us };
  const RlQualitySample *p = previous && previous->rx_packets <= now->rx_packets ? previous : &zero;
  gint64 rx = now->rx_packets - p->rx_packets;
  gint64 rx_lost = now->rx_lost - p->rx_lost;
  gint64 tx = now->tx_packets - p->tx_packets;
  gint64 tx_lost = now->tx_lost - p->tx_lost;
  double loss_in = percent (rx_lost, rx + MAX (rx_lost, 0));
  double loss_out = percent (tx_lost, tx);
  double jitter = MAX (now->rx_jitter_us, now->tx_jitter_us) / 1000.0;
  double rtt = MAX (now->rtt_us, 0) / 1000.0;
  double seconds = (now->time_us - p->time_us) / (double) G_USEC_PER_SEC;
  double mos = 0;
  const char *label = rl_quality_label (MAX (loss_in, loss_out), jitter, rtt, &mos);
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "label", g_variant_new_string (label));
  g_variant_builder_add (&b, "{sv}", "mos", g_variant_new_double (mos));
  g_variant_builder_add (&b, "{sv}", "loss_percent",
                         g_variant_new_double (MAX (loss_in, loss_out)));
  g_variant_builder_add (&b, "{sv}", "loss_in_percent", g_variant_new_double (loss_in));
  g_variant_builder_add (&b, "{sv}", "loss_out_percent", g_variant_new_double (loss_out));
  g_variant_builder_add (&b, "{sv}", "jitter_ms", g_variant_new_double (jitter));
  g_variant_builder_add (&b, "{sv}", "rtt_ms", g_variant_new_double (rtt));
  g_variant_builder_add (&b, "{sv}", "packets_sent", g_variant_new_int64 (now->tx_packets));
  g_variant_builder_add (&b, "{sv}", "packets_received", g_variant_new_int64 (now->rx_packets));
  g_variant_builder_add (&b, "{sv}", "packets_lost_in",
                         g_variant_new_int64 (MAX (now->rx_lost, 0)));
  g_variant_builder_add (&b, "{sv}", "packets_lost_out",
                         g_variant_new_int64 (MAX (now->tx_lost, 0)));
  if (p != &zero && seconds > 0)
    g_variant_builder_add (&b, "{sv}", "bitrate_kbps",
                           g_variant_new_double (rx * ESTIMATED_PACKET_BITS / seconds / 1000));
  return g_variant_builder_end (&b);
}
