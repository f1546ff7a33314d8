// Formal harness: TX admission (tx_admit) for every descriptor, parser
// record, context state and retransmit descriptor. Proven (make formal):
// the admission half of the TX security rule, that no marked frame with
// payload is passed on unencrypted:
//   MarkedPayloadNeverPassed  a SEND or RETX frame with TCP payload is
//                             walked (encrypted) or dropped, never passed;
//   DumpNeverSent             a DUMP frame is walked (never transmitted:
//                             `dump`) or dropped;
//   DescNeverSent             a retransmit descriptor is taken or dropped;
//   SendOnlyInOrder           a SEND frame is walked only at the context's
//                             expected sequence number, installed, in range,
//                             its record state not lost, from that state;
//   RetxOnlyAsDescribed       a RETX frame is walked only with a matching
//                             descriptor, from the descriptor's state, and
//                             not when it needs a tag the descriptor lacks;
//   UnmarkedPassed            an unmarked frame is passed unchanged.
`default_nettype none

module fv_tx_admit (
    input  tlsnic_pkg::imeta_t meta,
    input  logic               ctx_ok,
    input  tlsnic_pkg::kctl_t  kc,
    input  tlsnic_pkg::wst_t   st,
    input  logic               rt_match,
    input  tlsnic_pkg::wst_t   rt_st,
    input  logic               rt_tagv,
    input  logic               rt_mid,
    input  logic [15:0]        rt_tag_from
);
    tlsnic_pkg::act_e act;
    logic             dump, retx;
    logic [2:0]       why;
    tlsnic_pkg::wst_t st_o;
    logic [15:0]      pay_lo, pay_hi;
    tlsnic_pkg::tx_pre_t pre;               // the compares, as the walker's full form connects them

    tx_admit dut (
        .meta(meta), .ctx_ok(ctx_ok), .kc(kc), .st(st),
        .rt_match(rt_match), .rt_st(rt_st), .rt_tagv(rt_tagv), .rt_mid(rt_mid), .rt_tag_from(rt_tag_from),
        .pre_o(pre), .pre(pre),
        .act(act), .dump(dump), .retx(retx), .why(why), .st_o(st_o), .pay_lo(pay_lo), .pay_hi(pay_hi)
    );

    logic       marked;
    logic [1:0] op;
    assign marked = meta.tuser[tlsnic_regs_pkg::TXD_OFFLOAD];
    assign op     = meta.tuser[tlsnic_regs_pkg::TXD_OP_LSB +: 2];

    always_comb begin
        if (marked && (op == 2'(tlsnic_regs_pkg::TXD_OP_SEND) || op == 2'(tlsnic_regs_pkg::TXD_OP_RETX))
            && meta.pay_len != 16'd0) begin
            MarkedPayloadNeverPassed: assert (act == tlsnic_pkg::A_WALK || act == tlsnic_pkg::A_DROP);
        end
        if (marked && op == 2'(tlsnic_regs_pkg::TXD_OP_DUMP)) begin
            DumpNeverSent: assert ((act == tlsnic_pkg::A_WALK && dump) || act == tlsnic_pkg::A_DROP);
        end
        if (marked && op == 2'(tlsnic_regs_pkg::TXD_OP_RETX_DESC)) begin
            DescNeverSent: assert (act == tlsnic_pkg::A_DESC || act == tlsnic_pkg::A_DROP);
        end
        if (marked && op == 2'(tlsnic_regs_pkg::TXD_OP_SEND) && act == tlsnic_pkg::A_WALK) begin
            SendOnlyInOrder: assert (meta.seq == st.seq && kc.valid && ctx_ok && meta.tcp_nocsum && !retx && !dump
                                     && !(st.stale && st.sect == tlsnic_pkg::S_BODY) && st_o == st);
        end
        if (marked && op == 2'(tlsnic_regs_pkg::TXD_OP_RETX) && act == tlsnic_pkg::A_WALK) begin
            RetxOnlyAsDescribed: assert (rt_match && meta.seq == rt_st.seq && kc.valid && ctx_ok && retx
                                         && st_o == rt_st && (rt_tagv || !rt_mid || meta.pay_len <= rt_tag_from));
        end
        if (!marked) begin
            UnmarkedPassed: assert (act == tlsnic_pkg::A_PASS);
        end
    end
endmodule

`default_nettype wire
