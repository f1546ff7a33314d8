// Frame admission for the record walker (rec_walker): what the head frame
// does (tx_admit | rx_admit) and what its walk starts with (wfst_t: the
// admission, whether it is walked with crypto, resumes a record body or
// carries the record the frame before left open in the datapath, and the
// first beat's payload lanes).
//
// Full form: from the head record and its context in the clock of the
// start. LEAN (the board form): `fst` registered in the clock before the
// start, `ok` when nothing in that clock or the one before changed its
// inputs (`in_ok` two clocks in a row), and the admission's decision from
// its compares (rx_pre_t | tx_pre_t) registered in the clock before that:
// the start reads registers only, at two more clocks between frames. Both
// registers are asserted current at every start (WalkerAdmitCurrent,
// WalkerAdmitPreCurrent).
`default_nettype none

module walk_admit #(
    parameter int W     = 16,
    parameter bit RX    = 1'b0,
    parameter bit LEAN  = 1'b0,
    parameter int CTX_W = 6
) (
    input  logic                 clk,
    input  logic                 rst,

    // The head frame and its context (prefetched, or written back by the
    // frame ending now)
    input  tlsnic_pkg::imeta_t   meta,
    input  logic                 hit,       // RX: flow table hit; TX: context id < N_CTX
    input  tlsnic_pkg::kctl_t    kc,
    input  tlsnic_pkg::wst_t     st,
    input  tlsnic_pkg::rxst_t    rxs,
    input  logic                 retx_op,   // TX: the frame is a RETX operation

    // TX: the head frame's context id and the retransmit descriptor
    // registers (retx_desc); RX: unused
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [CTX_W-1:0]     ctx,
    input  logic                 rt_valid,
    input  logic [CTX_W-1:0]     rt_ctx,
    input  tlsnic_pkg::wst_t     rt_st,
    input  logic                 rt_tagv,
    input  logic                 rt_mid,
    input  logic [15:0]          rt_from,
    /* verilator lint_on UNUSEDSIGNAL */

    input  logic                 open_rec,  // the datapath holds ctx's record GHASH state open
    input  logic                 in_ok,     // (LEAN) the head frame and its context there, the walker
                                            // idle, and no event this clock that changes them
    input  logic                 start,     // the walker starts the head frame (assertions)

    output tlsnic_pkg::wfst_t    fst,       // what the walk starts with: now, or (LEAN) registered
    output logic                 ok,        // (LEAN) fst and retx_op_q are current
    output logic                 retx_op_q  // retx_op: now, or (LEAN) registered with fst
);

    tlsnic_pkg::wadm_t c_adm;
    tlsnic_pkg::wfst_t c_fst, fst_reg;

    // The admission's compares: what its decision uses, now (not LEAN) or
    // (LEAN) as registered in the clock before. Sized by the direction's
    // type through a variable of it (Yosys 0.70 takes $bits of a variable,
    // not of a package type).
    /* verilator lint_off UNUSEDSIGNAL */ // one of the two only sizes PRE_W
    tlsnic_pkg::rx_pre_t rx_pre;
    tlsnic_pkg::tx_pre_t tx_pre;
    /* verilator lint_on UNUSEDSIGNAL */
    localparam int PRE_W = RX ? $bits(rx_pre) : $bits(tx_pre);
    logic [PRE_W-1:0] pre_now, pre_reg, pre_use;
    always_ff @(posedge clk) begin : pre_r
        if (LEAN) begin
            pre_reg <= pre_now;
        end
    end
    assign pre_use = LEAN ? pre_reg : pre_now;
    `TLSNIC_ASSERT_IMP(WalkerAdmitPreCurrent, LEAN && start, pre_reg == pre_now, clk, rst)

    if (RX) begin : g_rx_admit
        rx_admit u_admit (
            .meta(meta), .hit(hit), .kc(kc), .st(st), .rxs(rxs), .pre_o(rx_pre), .pre(pre_use),
            .act(c_adm.act), .reason(c_adm.reason), .upd(c_adm.upd), .insync(c_adm.insync),
            .part(c_adm.part), .rst(c_adm.rst), .st_o(c_adm.st), .rxs_o(c_adm.rxs), .pay_lo(c_adm.lo),
            .pay_hi(c_adm.hi), .wb_seq(c_adm.wb_seq)
        );
        assign pre_now    = rx_pre;
        assign tx_pre     = '0;
        assign c_adm.dump = 1'b0;
        assign c_adm.why  = 3'd0;
        assign c_adm.retx = 1'b0;
    end else begin : g_tx_admit
        tx_admit u_admit (
            .meta(meta), .ctx_ok(hit), .kc(kc), .st(st),
            .rt_match(rt_valid && rt_ctx == ctx), .rt_st(rt_st), .rt_tagv(rt_tagv),
            .rt_mid(rt_mid), .rt_tag_from(rt_from), .pre_o(tx_pre), .pre(pre_use),
            .act(c_adm.act), .dump(c_adm.dump), .retx(c_adm.retx), .why(c_adm.why), .st_o(c_adm.st),
            .pay_lo(c_adm.lo), .pay_hi(c_adm.hi)
        );
        assign pre_now      = tx_pre;
        assign rx_pre       = '0;
        assign c_adm.reason = tlsnic_regs_pkg::RX_REASON_DEC;
        assign c_adm.upd    = 1'b1;
        assign c_adm.insync = 1'b1;
        assign c_adm.part   = 1'b0;
        assign c_adm.rst    = 1'b0;
        assign c_adm.rxs    = rxs;
        assign c_adm.wb_seq = meta.seq + 32'(meta.pay_len);
    end

    // a payload offset as a lane of the frame's first beat (W: past it)
    function automatic logic [6:0] first_lane(input logic [15:0] off);
        first_lane = (off >= 16'(W)) ? 7'(W) : 7'(off);
    endfunction

    logic c_crypto, c_resume;
    assign c_crypto = c_adm.act == tlsnic_pkg::A_WALK && (!RX || c_adm.insync);
    assign c_resume = c_crypto && c_adm.st.sect == tlsnic_pkg::S_BODY;
    assign c_fst    = {c_adm, c_crypto, c_resume, c_resume && !c_adm.retx && open_rec,
                       first_lane(c_adm.lo), first_lane(c_adm.hi)};

    logic pre_ok_reg, ok_reg, retx_op_reg;
    always_ff @(posedge clk) begin : admit_reg
        if (LEAN) begin
            fst_reg     <= c_fst;
            retx_op_reg <= retx_op;
            pre_ok_reg  <= in_ok;
            ok_reg      <= in_ok && pre_ok_reg;
        end
    end
    assign fst       = LEAN ? fst_reg : c_fst;
    assign ok        = ok_reg;
    assign retx_op_q = LEAN ? retx_op_reg : retx_op;
    `TLSNIC_ASSERT_IMP(WalkerAdmitCurrent, start, fst == c_fst, clk, rst)

endmodule

`default_nettype wire
