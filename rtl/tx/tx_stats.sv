// TX counters (tlsnic_regs_pkg::TX_CNT_*): every frame counted once when
// its verdict reaches the egress (a retransmitted segment also in RETX_*;
// retransmit descriptor frames not at all), context commands when they
// complete, tag completions the event queue had no room for.
// Counters wrap; the 64-bit byte counter is two words.
`default_nettype none

module tx_stats (
    input  logic                     clk,
    input  logic                     rst,

    input  logic                     ev_valid,
    /* verilator lint_off UNUSEDSIGNAL */ // the TX fields only
    input  tlsnic_pkg::fres_t        ev_res,
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic                     ev_add,
    input  logic                     ev_del,
    input  logic                     ev_lost,      // a tag completion was lost

    output logic [32*tlsnic_regs_pkg::TX_CNT_N-1:0] cnt    // counter i in [32i +: 32]
);

    localparam int N = tlsnic_regs_pkg::TX_CNT_N;
    logic [31:0] c [N];

    always_ff @(posedge clk) begin : count
        if (ev_valid) begin
            case (ev_res.act)
                tlsnic_pkg::A_PASS: c[tlsnic_regs_pkg::TX_CNT_PASS] <= c[tlsnic_regs_pkg::TX_CNT_PASS] + 32'd1;
                tlsnic_pkg::A_DESC: ;
                tlsnic_pkg::A_DROP: begin
                    case (ev_res.why)
                        3'd1:    c[tlsnic_regs_pkg::TX_CNT_DROP_PARSE] <= c[tlsnic_regs_pkg::TX_CNT_DROP_PARSE] + 32'd1;
                        3'd2:    c[tlsnic_regs_pkg::TX_CNT_DROP_CTX]   <= c[tlsnic_regs_pkg::TX_CNT_DROP_CTX] + 32'd1;
                        3'd4:    c[tlsnic_regs_pkg::TX_CNT_DROP_REC]   <= c[tlsnic_regs_pkg::TX_CNT_DROP_REC] + 32'd1;
                        3'd5:    c[tlsnic_regs_pkg::TX_CNT_DROP_RETX]  <= c[tlsnic_regs_pkg::TX_CNT_DROP_RETX] + 32'd1;
                        default: c[tlsnic_regs_pkg::TX_CNT_DROP_SEQ]   <= c[tlsnic_regs_pkg::TX_CNT_DROP_SEQ] + 32'd1;
                    endcase
                end
                default: begin
                    if (ev_res.fail) begin
                        c[tlsnic_regs_pkg::TX_CNT_DROP_REC] <= c[tlsnic_regs_pkg::TX_CNT_DROP_REC] + 32'd1;
                    end else if (ev_res.dump) begin
                        c[tlsnic_regs_pkg::TX_CNT_DUMP_PKTS]  <= c[tlsnic_regs_pkg::TX_CNT_DUMP_PKTS] + 32'd1;
                        c[tlsnic_regs_pkg::TX_CNT_DUMP_BYTES] <= c[tlsnic_regs_pkg::TX_CNT_DUMP_BYTES] + 32'(ev_res.bytes);
                    end else begin
                        c[tlsnic_regs_pkg::TX_CNT_ENC_PKTS] <= c[tlsnic_regs_pkg::TX_CNT_ENC_PKTS] + 32'd1;
                        {c[tlsnic_regs_pkg::TX_CNT_ENC_BYTES_HI], c[tlsnic_regs_pkg::TX_CNT_ENC_BYTES_LO]}
                            <= {c[tlsnic_regs_pkg::TX_CNT_ENC_BYTES_HI], c[tlsnic_regs_pkg::TX_CNT_ENC_BYTES_LO]}
                             + 64'(ev_res.bytes);
                        if (ev_res.retx) begin
                            c[tlsnic_regs_pkg::TX_CNT_RETX_PKTS]  <= c[tlsnic_regs_pkg::TX_CNT_RETX_PKTS] + 32'd1;
                            c[tlsnic_regs_pkg::TX_CNT_RETX_BYTES] <= c[tlsnic_regs_pkg::TX_CNT_RETX_BYTES] + 32'(ev_res.bytes);
                        end
                    end
                end
            endcase
        end
        if (ev_add) begin
            c[tlsnic_regs_pkg::TX_CNT_CTX_ADD] <= c[tlsnic_regs_pkg::TX_CNT_CTX_ADD] + 32'd1;
        end
        if (ev_del) begin
            c[tlsnic_regs_pkg::TX_CNT_CTX_DEL] <= c[tlsnic_regs_pkg::TX_CNT_CTX_DEL] + 32'd1;
        end
        if (ev_lost) begin
            c[tlsnic_regs_pkg::TX_CNT_EVT_LOST] <= c[tlsnic_regs_pkg::TX_CNT_EVT_LOST] + 32'd1;
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
        if (i != tlsnic_regs_pkg::TX_CNT_ENC_BYTES_HI) begin : g_counter
            `TLSNIC_COVER(CovCounterSteps, !$past(rst) && cnt[32*i +: 32] != $past(cnt[32*i +: 32]), clk, rst)
        end
    end
`endif

endmodule

`default_nettype wire
