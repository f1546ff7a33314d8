// RX counters (tlsnic_regs_pkg::RX_CNT_*): every frame counted once, by its
// final reason, when it reaches the egress; resync requests and scan
// restarts of frames that wrote their context back; context commands when
// they complete. Counters wrap; the 64-bit byte counter is two words.
`default_nettype none

module rx_stats (
    input  logic                     clk,
    input  logic                     rst,

    input  logic                     ev_valid,
    /* verilator lint_off UNUSEDSIGNAL */ // the RX fields only
    input  tlsnic_pkg::fres_t        ev_res,        // reason final
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic                     ev_add,
    input  logic                     ev_del,
    input  logic                     ev_full,
    input  logic                     ev_res_ok,
    input  logic                     ev_res_ign,

    output logic [32*tlsnic_regs_pkg::RX_CNT_N-1:0] cnt    // counter i in [32i +: 32]
);

    localparam int N = tlsnic_regs_pkg::RX_CNT_N;
    logic [31:0] c [N];

    function automatic int idx_of(input logic [3:0] r);
        case (r)
            tlsnic_regs_pkg::RX_REASON_PARSE:  idx_of = tlsnic_regs_pkg::RX_CNT_PARSE;
            tlsnic_regs_pkg::RX_REASON_CSUM:   idx_of = tlsnic_regs_pkg::RX_CNT_CSUM;
            tlsnic_regs_pkg::RX_REASON_NOFLOW: idx_of = tlsnic_regs_pkg::RX_CNT_NOFLOW;
            tlsnic_regs_pkg::RX_REASON_NOPAY:  idx_of = tlsnic_regs_pkg::RX_CNT_NOPAY;
            tlsnic_regs_pkg::RX_REASON_OLD:    idx_of = tlsnic_regs_pkg::RX_CNT_OLD;
            tlsnic_regs_pkg::RX_REASON_BADREC: idx_of = tlsnic_regs_pkg::RX_CNT_BADREC;
            tlsnic_regs_pkg::RX_REASON_AUTH:   idx_of = tlsnic_regs_pkg::RX_CNT_AUTH;
            tlsnic_regs_pkg::RX_REASON_OOS:    idx_of = tlsnic_regs_pkg::RX_CNT_OOS;
            default:                           idx_of = tlsnic_regs_pkg::RX_CNT_PART;
        endcase
    endfunction

    always_ff @(posedge clk) begin : count
        if (ev_valid) begin
            if (ev_res.reason == tlsnic_regs_pkg::RX_REASON_DEC) begin
                c[tlsnic_regs_pkg::RX_CNT_DEC_PKTS] <= c[tlsnic_regs_pkg::RX_CNT_DEC_PKTS] + 32'd1;
                {c[tlsnic_regs_pkg::RX_CNT_DEC_BYTES_HI], c[tlsnic_regs_pkg::RX_CNT_DEC_BYTES_LO]}
                    <= {c[tlsnic_regs_pkg::RX_CNT_DEC_BYTES_HI], c[tlsnic_regs_pkg::RX_CNT_DEC_BYTES_LO]}
                     + 64'(ev_res.bytes);
            end else begin
                c[idx_of(ev_res.reason)] <= c[idx_of(ev_res.reason)] + 32'd1;
                if (ev_res.reason == tlsnic_regs_pkg::RX_REASON_BADREC
                    || ev_res.reason == tlsnic_regs_pkg::RX_REASON_AUTH) begin
                    c[tlsnic_regs_pkg::RX_CNT_ERR] <= c[tlsnic_regs_pkg::RX_CNT_ERR] + 32'd1;
                end
            end
            if (ev_res.rreq) begin
                c[tlsnic_regs_pkg::RX_CNT_REQ_PKT] <= c[tlsnic_regs_pkg::RX_CNT_REQ_PKT] + 32'd1;
            end
            c[tlsnic_regs_pkg::RX_CNT_RESTART] <= c[tlsnic_regs_pkg::RX_CNT_RESTART] + 32'(ev_res.nrst);
        end
        if (ev_add) begin
            c[tlsnic_regs_pkg::RX_CNT_CTX] <= c[tlsnic_regs_pkg::RX_CNT_CTX] + 32'd1;
        end
        if (ev_del) begin
            c[tlsnic_regs_pkg::RX_CNT_DEL] <= c[tlsnic_regs_pkg::RX_CNT_DEL] + 32'd1;
        end
        if (ev_full) begin
            c[tlsnic_regs_pkg::RX_CNT_FULL] <= c[tlsnic_regs_pkg::RX_CNT_FULL] + 32'd1;
        end
        if (ev_res_ok) begin
            c[tlsnic_regs_pkg::RX_CNT_RES_OK] <= c[tlsnic_regs_pkg::RX_CNT_RES_OK] + 32'd1;
        end
        if (ev_res_ign) begin
            c[tlsnic_regs_pkg::RX_CNT_RES_IGN] <= c[tlsnic_regs_pkg::RX_CNT_RES_IGN] + 32'd1;
        end
        if (rst) begin
            for (int i = 0; i < N; i++) begin
                c[i] <= 32'd0;
            end
        end
    end

    always_comb begin : out
        for (int i = 0; i < N; i++) begin
            cnt[32*i +: 32] = c[i];
        end
    end

    // Functional coverage (docs/coverage.md): every counter steps (a 64-bit
    // byte counter counts as one, its low word).
`ifndef SYNTHESIS
    for (genvar i = 0; i < N; i++) begin : g_cov
        if (i != tlsnic_regs_pkg::RX_CNT_DEC_BYTES_HI) begin : g_counter
            `TLSNIC_COVER(CovCounterSteps, !$past(rst) && cnt[32*i +: 32] != $past(cnt[32*i +: 32]), clk, rst)
        end
    end
`endif

endmodule

`default_nettype wire
