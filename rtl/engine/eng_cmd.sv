// Context commands of one engine (TX: add, delete, update; RX: add,
// delete, resync), run between frames.
//
// A command first holds the walker (no new frame starts) and waits until
// every frame in flight has left the crypto pipeline and the datapath has
// parked its open GHASH slot (`drained`); tables and working registers are
// then the command's alone, so no frame ever sees half of a change, and
// frames queued behind the command see all of it (their prefetches and flow
// lookups are redone: `flush`, from the end of the drain). While it drains,
// the frames already past the walker keep prefetching what they need (a
// frame waiting for its H powers must not wait for the command), and the
// datapath parks its open slot once no frame waits to carry it (`park`).
// - add: key set-up: H = AES_K(0^128) through the keystream generator, then
//   H^2..H^K through ghash_core; the key table (installed, version, key
//   size, key, IV), the walker state (record number, expected sequence
//   number, at a record header) and the H table are written. RX also finds
//   the flow a place in the flow table and a context id (never-used ids
//   first, then freed ones in the order they were freed).
// - delete: the key table entry and H table entry are zeroed, the working
//   copies of key material in the walker, generator and datapath wiped
//   (`wipe`), and both entries read once more (`scrub`) so that no RAM
//   output register keeps the old words; RX frees the flow entry and the id.
// - TX update: the context expects record `rec` at sequence number `seq`.
// - RX resync: stack-driven contexts out of sync take (seq, rec) as the next
//   record; a tracked guess confirmed by its sequence number adds the
//   records counted since to `rec`; anything else is ignored (counted).
// Errors (ERR_*): context id out of range, flow already installed, table
// full (no id or no room in the flow's two buckets), not installed.
// After reset the unit clears the tables' valid bits (block RAM has no
// reset): N_CTX clocks during which frames and commands wait.
// Latency of an add on an idle engine: about 2 + 16 (AES) + 2(K-1) + 2
// clocks.
`default_nettype none

module eng_cmd #(
    parameter bit RX     = 1'b0,
    parameter int N_CTX  = 64,
    parameter int CTX_W  = $clog2(N_CTX),
    parameter int K      = 2,
    parameter int BKT_W  = 4,
    parameter int WAY_W  = 2
) (
    input  logic                 clk,
    input  logic                 rst,

    input  logic                 cmd_valid,
    input  logic [2:0]           cmd_op,
    input  logic [15:0]          cmd_ctx,
    input  logic [255:0]         cmd_key,
    input  logic                 cmd_key256,
    input  logic                 cmd_v13,
    input  logic [95:0]          cmd_iv,
    input  logic [31:0]          cmd_seq,
    input  logic [63:0]          cmd_rec,
    input  logic                 cmd_sd,
    /* verilator lint_off UNUSEDSIGNAL */ // RX only
    input  logic [288:0]         cmd_flow,      // {v6, saddr, daddr, ports}
    /* verilator lint_on UNUSEDSIGNAL */
    output logic                 cmd_done,
    output logic                 cmd_err,
    output logic [3:0]           cmd_code,
    output logic [15:0]          cmd_result,

    output logic                 hold,
    output logic                 flush,
    output logic                 park,
    output logic                 wipe,
    output logic                 scrub,         // after a delete: read the zeroed entries (ctx in t_wr_ctx)
    input  logic                 drained,

    // Context table
    output logic                 t_pf_req,
    output logic [CTX_W-1:0]     t_pf_ctx,
    input  logic                 t_pf_valid,
    input  tlsnic_pkg::wst_t     t_st,
    input  tlsnic_pkg::rxst_t    t_rxs,
    /* verilator lint_off UNUSEDSIGNAL */ // installed, stack-driven
    input  tlsnic_pkg::kctl_t    t_kc,
    /* verilator lint_on UNUSEDSIGNAL */
    output logic                 t_st_wr,
    output logic [CTX_W-1:0]     t_wr_ctx,
    output tlsnic_pkg::wst_t     t_st_wr_st,
    output tlsnic_pkg::rxst_t    t_st_wr_rxs,
    output logic                 t_key_wr,
    output tlsnic_pkg::kctl_t    t_key_wr_kc,
    output logic [255:0]         t_key_wr_key,
    output logic [95:0]          t_key_wr_iv,

    // Key set-up
    output logic                 k_req,         // one request (block 0 under the new key)
    output tlsnic_pkg::ksreq_t   k_rq,
    output logic                 k_key_valid,
    output logic [255:0]         k_key,
    output logic                 k_key256,
    input  logic                 k_ks_there,    // the keystream queue holds H
    input  logic [127:0]         k_h,
    output logic                 k_pop,
    output logic                 pw_start,
    output logic [127:0]         pw_h,
    input  logic                 pw_done,
    input  logic [K*128-1:0]     pw_pow,
    output logic                 h_wr_en,
    output logic [K*128-1:0]     h_wr_pow,

    // RX flow table
    output logic                 f_look,
    output logic                 f_direct,
    input  logic                 f_done,
    input  logic                 f_hit,
    input  logic                 f_room,
    input  logic                 f_bank,
    input  logic [BKT_W-1:0]     f_bucket,
    input  logic [WAY_W-1:0]     f_way,
    output logic                 f_wr,
    output logic                 f_clear,       // empty bucket f_wr_bucket in both banks
    output logic                 f_wr_valid,
    output logic                 f_wr_bank,
    output logic [BKT_W-1:0]     f_wr_bucket,
    output logic [WAY_W-1:0]     f_wr_way,

    // Events (counters)
    output logic                 ev_add,
    output logic                 ev_del,
    output logic                 ev_full,
    output logic                 ev_res_ok,
    output logic                 ev_res_ign
);

    typedef enum logic [3:0] {
        C_INIT, C_IDLE, C_DRAIN, C_CHECK, C_READ, C_FLOW, C_KEY, C_KEY_H, C_KEY_POW, C_WRITE, C_SCRUB, C_DONE
    } cstate_e;

    cstate_e          cs_reg;
    logic [CTX_W-1:0] init_reg;         // C_INIT: the entry cleared this clock
    logic [2:0]       op_reg;
    logic [CTX_W-1:0] ctx_reg;
    logic [3:0]       code_reg;
    logic             done_reg;
    logic             is_add, is_del, is_upd, is_rsy, range_ok;

    assign is_add   = op_reg == (RX ? tlsnic_regs_pkg::OP_ADD_RX : tlsnic_regs_pkg::OP_ADD_TX);
    assign is_del   = op_reg == (RX ? tlsnic_regs_pkg::OP_DEL_RX : tlsnic_regs_pkg::OP_DEL_TX);
    assign is_upd   = !RX && op_reg == tlsnic_regs_pkg::OP_UPDATE_TX;
    assign is_rsy   = RX && op_reg == tlsnic_regs_pkg::OP_RESYNC_RX;
    assign range_ok = 32'(cmd_ctx) < N_CTX;

    // ---------------------------------------------------------- RX ids and places
    logic             id_ok;
    logic [CTX_W-1:0] id_new;
    logic             id_take, id_free;
    logic [1+BKT_W+WAY_W-1:0] loc_q;

    if (RX) begin : g_ids
        // never-used ids first, then freed ones (in order)
        logic [CTX_W:0]   fresh_reg;
        logic             fq_valid;
        logic [CTX_W-1:0] fq_id;
        logic             fq_in_ready_unused;
        logic [CTX_W:0]   fq_count_unused;

        fifo_ram #(.WIDTH(CTX_W), .DEPTH(N_CTX)) u_free (
            .clk(clk), .rst(rst),
            .in_valid(id_free), .in_ready(fq_in_ready_unused), .in_data(ctx_reg),
            .out_valid(fq_valid), .out_ready(id_take && fresh_reg == (CTX_W+1)'(N_CTX)), .out_data(fq_id),
            .count(fq_count_unused)
        );
        assign id_ok  = fresh_reg != (CTX_W+1)'(N_CTX) || fq_valid;
        assign id_new = (fresh_reg != (CTX_W+1)'(N_CTX)) ? CTX_W'(fresh_reg) : fq_id;
        always_ff @(posedge clk) begin : fresh_ids
            if (id_take && fresh_reg != (CTX_W+1)'(N_CTX)) begin
                fresh_reg <= fresh_reg + (CTX_W+1)'(1);
            end
            if (rst) begin
                fresh_reg <= '0;
            end
        end

        // where each context's flow entry is
        ram_sdp #(.WIDTH(1 + BKT_W + WAY_W), .DEPTH(N_CTX)) u_loc (
            .clk(clk),
            .wr_en(cs_reg == C_WRITE && is_add), .wr_addr(ctx_reg), .wr_data({f_bank, f_bucket, f_way}),
            .rd_en(cs_reg == C_CHECK), .rd_addr(CTX_W'(cmd_ctx)), .rd_data(loc_q)
        );
        `TLSNIC_ASSERT_IMP(CmdFreeIdRoom, id_free, fq_in_ready_unused, clk, rst)
    end else begin : g_no_ids
        /* verilator lint_off UNUSEDSIGNAL */ // TX contexts are named by the host
        logic ids_unused;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ids_unused = id_take || id_free;
        assign id_ok  = 1'b0;
        assign id_new = '0;
        assign loc_q  = '0;
    end

    // ------------------------------------------------------------------ FSM
    logic fail_now;
    logic [3:0] fail_code;
    always_comb begin : checks
        fail_now  = 1'b0;
        fail_code = tlsnic_regs_pkg::ERR_OK;
        case (cs_reg)
            C_CHECK: begin
                if (!(is_add || is_del || is_upd || is_rsy)) begin
                    fail_now  = 1'b1;
                    fail_code = tlsnic_regs_pkg::ERR_BAD_OP;
                end else if (!(RX && is_add) && !range_ok) begin
                    fail_now  = 1'b1;
                    fail_code = tlsnic_regs_pkg::ERR_BAD_CTX;
                end
            end
            C_READ: begin
                if (t_pf_valid && !t_kc.valid && (RX || is_upd)) begin
                    fail_now  = 1'b1;
                    fail_code = tlsnic_regs_pkg::ERR_NOT_INSTALLED;
                end
            end
            C_FLOW: begin
                if (f_done && f_hit) begin
                    fail_now  = 1'b1;
                    fail_code = tlsnic_regs_pkg::ERR_FLOW_EXISTS;
                end else if (f_done && (!id_ok || !f_room)) begin
                    fail_now  = 1'b1;
                    fail_code = tlsnic_regs_pkg::ERR_TABLE_FULL;
                end
            end
            default: ;
        endcase
    end

    // The state a resync leaves (RX).
    tlsnic_pkg::wst_t  rs_st;
    tlsnic_pkg::rxst_t rs_rxs;
    logic              rs_ok;
    always_comb begin : resync
        rs_st  = t_st;
        rs_rxs = t_rxs;
        rs_ok  = 1'b0;
        if (t_kc.sd && t_rxs.mode != tlsnic_pkg::M_SYNC) begin
            // stack-driven: the host names the next record's start (only
            // while out of sync: the host's view lags the device, so a push
            // that arrives after sync was regained would lose it again)
            rs_ok       = 1'b1;
            rs_rxs.mode = tlsnic_pkg::M_SYNC;
            rs_st.seq   = cmd_seq;
            rs_st.rec   = cmd_rec;
            rs_st.sect  = tlsnic_pkg::S_HDR;
            rs_st.soff  = 4'd0;
            rs_rxs.req  = 1'b0;
        end else if (t_rxs.mode == tlsnic_pkg::M_TRACK && t_rxs.req && t_rxs.guess == cmd_seq) begin
            // the guess is confirmed: add the records counted since
            rs_ok       = 1'b1;
            rs_rxs.mode = tlsnic_pkg::M_SYNC;
            rs_st.rec   = t_st.rec + cmd_rec;
            rs_rxs.req  = 1'b0;
        end
    end

    // The state a new context starts from.
    tlsnic_pkg::wst_t  new_st;
    tlsnic_pkg::rxst_t new_rxs;
    assign new_st  = tlsnic_pkg::fresh_st(cmd_seq, cmd_rec);
    assign new_rxs = tlsnic_pkg::fresh_rxs(cmd_seq);

    always_ff @(posedge clk) begin : fsm
        done_reg <= 1'b0;
        case (cs_reg)
            C_INIT: begin
                init_reg <= init_reg + CTX_W'(1);
                if (init_reg == CTX_W'(N_CTX - 1)) begin
                    cs_reg <= C_IDLE;
                end
            end
            C_IDLE: begin
                if (cmd_valid && !done_reg) begin
                    cs_reg <= C_DRAIN;
                    op_reg <= cmd_op;
                end
            end
            C_DRAIN: begin
                if (drained) begin
                    cs_reg <= C_CHECK;
                end
            end
            C_CHECK: begin
                ctx_reg <= CTX_W'(cmd_ctx);
                if (fail_now) begin
                    code_reg <= fail_code;
                    cs_reg   <= C_DONE;
                end else if (RX && is_add) begin
                    cs_reg <= C_FLOW;
                end else if (is_add) begin
                    cs_reg <= C_KEY;
                end else if (!RX && is_del) begin
                    cs_reg <= C_WRITE;
                end else begin
                    cs_reg <= C_READ;
                end
            end
            C_READ: begin
                if (t_pf_valid) begin
                    if (fail_now) begin
                        code_reg <= fail_code;
                        cs_reg   <= C_DONE;
                    end else begin
                        cs_reg <= C_WRITE;
                    end
                end
            end
            C_FLOW: begin
                if (f_done) begin
                    if (fail_now) begin
                        code_reg <= fail_code;
                        cs_reg   <= C_DONE;
                    end else begin
                        ctx_reg <= id_new;
                        cs_reg  <= C_KEY;
                    end
                end
            end
            C_KEY:     cs_reg <= C_KEY_H;
            C_KEY_H: begin
                if (k_ks_there) begin
                    cs_reg <= C_KEY_POW;
                end
            end
            C_KEY_POW: begin
                if (pw_done) begin
                    cs_reg <= C_WRITE;
                end
            end
            C_WRITE: begin
                code_reg <= tlsnic_regs_pkg::ERR_OK;
                cs_reg   <= is_del ? C_SCRUB : C_DONE;
            end
            C_SCRUB:   cs_reg <= C_DONE;
            C_DONE: begin
                done_reg <= 1'b1;
                cs_reg   <= C_IDLE;
            end
            default: cs_reg <= C_IDLE;
        endcase
        if (rst) begin
            cs_reg   <= C_INIT;
            init_reg <= '0;
            done_reg <= 1'b0;
            code_reg <= tlsnic_regs_pkg::ERR_OK;
        end
    end

    // ------------------------------------------------------------ outputs
    assign hold  = cs_reg != C_IDLE;
    assign park  = cs_reg != C_IDLE;
    assign flush = cs_reg != C_IDLE && cs_reg != C_DRAIN;

    // C_SCRUB reads the deleted, zeroed entries once more, so that no RAM
    // output or prefetch register keeps the old key
    assign t_pf_req = (cs_reg == C_CHECK && !fail_now && !is_add && !(!RX && is_del)) || cs_reg == C_SCRUB;
    assign t_pf_ctx = (cs_reg == C_SCRUB) ? ctx_reg : CTX_W'(cmd_ctx);
    assign scrub    = cs_reg == C_SCRUB;
    assign t_wr_ctx = (cs_reg == C_INIT) ? init_reg : ctx_reg;

    logic wr_now;
    assign wr_now      = cs_reg == C_WRITE;
    assign t_st_wr     = wr_now && (is_add || is_upd || (is_rsy && rs_ok));
    always_comb begin : state_write
        t_st_wr_st  = new_st;
        t_st_wr_rxs = new_rxs;
        if (is_upd) begin
            t_st_wr_st       = t_st;
            t_st_wr_st.seq   = cmd_seq;
            t_st_wr_st.rec   = cmd_rec;
            t_st_wr_st.sect  = tlsnic_pkg::S_HDR;
            t_st_wr_st.soff  = 4'd0;
            t_st_wr_st.stale = 1'b0;
            t_st_wr_rxs      = t_rxs;
        end else if (is_rsy) begin
            t_st_wr_st  = rs_st;
            t_st_wr_rxs = rs_rxs;
        end
    end
    assign t_key_wr      = (wr_now && (is_add || is_del)) || cs_reg == C_INIT;
    always_comb begin : key_word
        t_key_wr_kc = '0;
        if (is_add && cs_reg != C_INIT) begin
            t_key_wr_kc.valid = 1'b1;
            t_key_wr_kc.v13   = cmd_v13;
            t_key_wr_kc.k256  = cmd_key256;
            t_key_wr_kc.sd    = RX && cmd_sd;
        end
    end
    assign t_key_wr_key  = (is_add && cs_reg != C_INIT) ? cmd_key : 256'd0;
    assign t_key_wr_iv   = (is_add && cs_reg != C_INIT) ? cmd_iv : 96'd0;

    assign k_req       = cs_reg == C_KEY;
    always_comb begin : key_request
        k_rq    = '0;
        k_rq.nk = 1'b1;
        k_rq.n  = 6'd1;
    end
    assign k_key_valid = cs_reg == C_KEY;
    assign k_key       = cmd_key;
    assign k_key256    = cmd_key256;
    assign k_pop       = cs_reg == C_KEY_H && k_ks_there;
    assign pw_start    = cs_reg == C_KEY_H && k_ks_there;
    assign pw_h        = k_h;
    assign h_wr_en     = wr_now && (is_add || is_del);
    assign h_wr_pow    = is_add ? pw_pow : '0;
    assign wipe        = wr_now && is_del;

    // (C_READ's own failure test spelled out, not `fail_now`: that also holds
    // C_FLOW's test of the lookup's answer, and the synthesis tools keep the
    // path from the flow table's compare into its next read address.)
    assign f_look      = RX && ((cs_reg == C_CHECK && is_add) || (cs_reg == C_READ && is_del && t_pf_valid && t_kc.valid));
    assign f_direct    = cs_reg == C_READ;
    assign f_wr        = RX && wr_now && (is_add || is_del);
    assign f_wr_valid  = is_add;
    assign f_wr_bank   = is_add ? f_bank : loc_q[BKT_W+WAY_W];
    assign f_wr_bucket = (cs_reg == C_INIT) ? BKT_W'(init_reg) : is_add ? f_bucket : loc_q[WAY_W +: BKT_W];
    // after reset: the flow buckets emptied (both banks), one per clock
    assign f_clear     = RX && cs_reg == C_INIT && 32'(init_reg) < (1 << BKT_W);
    assign f_wr_way    = is_add ? f_way : loc_q[WAY_W-1:0];
    assign id_take     = RX && cs_reg == C_FLOW && f_done && !fail_now;
    assign id_free     = RX && wr_now && is_del;

    assign cmd_done   = done_reg;
    assign cmd_err    = done_reg && code_reg != tlsnic_regs_pkg::ERR_OK;
    assign cmd_code   = code_reg;
    assign cmd_result = 16'(ctx_reg);

    assign ev_add     = wr_now && is_add;
    assign ev_del     = wr_now && is_del;
    assign ev_full    = RX && cs_reg == C_FLOW && fail_now && fail_code == tlsnic_regs_pkg::ERR_TABLE_FULL;
    assign ev_res_ok  = wr_now && is_rsy && rs_ok;
    assign ev_res_ign = wr_now && is_rsy && !rs_ok;

    // Functional coverage (docs/coverage.md): every command kind that
    // completes, every error code, commands that wait for frames in flight.
`ifndef SYNTHESIS
    `TLSNIC_COVER(CovAdd, done_reg && is_add && code_reg == tlsnic_regs_pkg::ERR_OK, clk, rst)
    `TLSNIC_COVER(CovDel, done_reg && is_del && code_reg == tlsnic_regs_pkg::ERR_OK, clk, rst)
    `TLSNIC_COVER(CovAddUnderTraffic, cs_reg == C_DRAIN && !drained && is_add, clk, rst)
    `TLSNIC_COVER(CovDelUnderTraffic, cs_reg == C_DRAIN && !drained && is_del, clk, rst)
    // (ERR_BAD_OP: the top gives an engine only its own opcodes and answers
    // the others itself)
    for (genvar e = 2; e <= 5; e++) begin : g_cov_err
        if (RX || e == 2 || e == 5) begin : g_code
            `TLSNIC_COVER(CovError, done_reg && code_reg == 4'(e), clk, rst)
        end
    end
    if (RX) begin : g_cov_rx
        `TLSNIC_COVER(CovIdReused, id_take && g_ids.fresh_reg == (CTX_W+1)'(N_CTX), clk, rst)
        `TLSNIC_COVER(CovResyncPush, wr_now && is_rsy && rs_ok && t_kc.sd, clk, rst)
        `TLSNIC_COVER(CovResyncConfirm, wr_now && is_rsy && rs_ok && !t_kc.sd, clk, rst)
        `TLSNIC_COVER(CovResyncIgnored, wr_now && is_rsy && !rs_ok, clk, rst)
    end else begin : g_cov_tx
        `TLSNIC_COVER(CovUpdate, done_reg && is_upd && code_reg == tlsnic_regs_pkg::ERR_OK, clk, rst)
    end
`endif

    // Assertions
    `TLSNIC_ASSERT_IMP(CmdTablesOnlyWhenDrained, t_st_wr || t_key_wr, cs_reg == C_WRITE || cs_reg == C_INIT, clk, rst)
    `TLSNIC_ASSERT_IMP(CmdDrainedFirst, cs_reg == C_CHECK, hold, clk, rst)

endmodule

`default_nettype wire
