// Crypto harness top: AES-GCM jobs over AXI4-Stream through gcm_core.
//
// Input job frame (byte i of a beat = tdata[8i+7:8i]):
//   beat 0   header: byte 0 flags (bit 0 decrypt, bit 1 AES-256, bit 2 new
//            key), bytes 2-3 AAD length (big endian), bytes 4-15 IV.
//   beats 1-2 (new key only): key bytes 0-15, 16-31 (AES-128 uses 0-15).
//            Without "new key" the previous key, H and H^2 are reused.
//   ceil(AAD/16) beats: AAD bytes, kept lanes contiguous.
//   1 beat (decrypt only): expected tag.
//   body beats: each beat's tkeep is a contiguous run of lanes at any offset
//            (possibly empty); tlast on the last body beat. tuser bit 0 on a
//            body beat ends a "segment": the harness takes the engine's
//            mid-record state out (as a context table would between two
//            TCP segments) and resumes the record from that saved state.
// Output frame: one beat per body beat (same tkeep, body bytes encrypted or
// decrypted, tlast 0), then a status beat: tdata = computed tag, tkeep all
// ones, tlast 1, tuser bit 0 = tag matches (always 1 when encrypting),
// bit 1 = decrypt, bit 2 = a body beat had a non-contiguous tkeep.
//
// CSRs (AXI4-Lite, 32-bit): 0x00 ID "TLSN", 0x04 version, 0x08/0x0C cycle
// counter low/high, 0x10 cycles of the last key set-up, 0x14 records done,
// 0x18 tag mismatches, 0x1C keep-format errors, 0x20 engine idle,
// 0x24 segment save/resume count; other reads 0xDEADBEEF.
`default_nettype none

module gcm_stream_top (
    input  logic         clk,
    input  logic         rst,

    // Job input
    input  logic [127:0] s_axis_tdata,
    input  logic [15:0]  s_axis_tkeep,
    input  logic         s_axis_tvalid,
    output logic         s_axis_tready,
    input  logic         s_axis_tlast,
    /* verilator lint_off UNUSEDSIGNAL */ // only bit 0 (end of segment) has a meaning
    input  logic [63:0]  s_axis_tuser,
    /* verilator lint_on UNUSEDSIGNAL */

    // Result output
    output logic [127:0] m_axis_tdata,
    output logic [15:0]  m_axis_tkeep,
    output logic         m_axis_tvalid,
    input  logic         m_axis_tready,
    output logic         m_axis_tlast,
    output logic [63:0]  m_axis_tuser,

    // CSR
    input  logic [15:0]  s_axil_awaddr,
    input  logic         s_axil_awvalid,
    output logic         s_axil_awready,
    input  logic [31:0]  s_axil_wdata,
    input  logic [3:0]   s_axil_wstrb,
    input  logic         s_axil_wvalid,
    output logic         s_axil_wready,
    output logic [1:0]   s_axil_bresp,
    output logic         s_axil_bvalid,
    input  logic         s_axil_bready,
    input  logic [15:0]  s_axil_araddr,
    input  logic         s_axil_arvalid,
    output logic         s_axil_arready,
    output logic [31:0]  s_axil_rdata,
    output logic [1:0]   s_axil_rresp,
    output logic         s_axil_rvalid,
    input  logic         s_axil_rready
);

    function automatic logic [127:0] lanes_to_be(input logic [127:0] x);
        for (int i = 0; i < 16; i++) begin
            lanes_to_be[127 - 8*i -: 8] = x[8*i +: 8];
        end
    endfunction

    typedef enum logic [3:0] {
        T_HDR, T_KEY0, T_KEY1, T_KSETUP, T_KWAIT, T_START, T_AAD, T_ETAG, T_BODY, T_WAIT_TAG,
        T_SV, T_RESUME
    } tstate_t;

    tstate_t      st_reg;
    logic         dec_reg, key256_reg;
    logic [15:0]  aad_left_reg;
    logic [95:0]  iv_reg;
    logic [255:0] key_reg;
    logic [127:0] h_reg, h2_reg, etag_reg;
    logic         fmt_err_reg;
    logic [31:0]  sv_boff_reg, sv_aad_reg;
    logic [127:0] sv_pb_reg, sv_acc0_reg, sv_acc1_reg;
    logic         sv_lane_reg;
    logic [31:0]  segments_reg;

    // ---------------------------------------------------------------- core
    logic         ks_valid, ks_ready, ks_done;
    logic [127:0] ks_h, ks_h2;
    logic         start_valid, start_ready;
    logic         c_in_valid, c_in_ready, c_in_aad, c_in_last;
    logic [3:0]   c_in_lo;
    logic [4:0]   c_in_cnt;
    logic [16:0]  c_in_user, c_out_user;
    logic         c_out_valid, c_out_ready;
    logic [127:0] c_out_data;
    logic         tag_valid, tag_ready;
    logic [127:0] tag;
    logic         core_idle;
    logic         c_in_eos;
    /* verilator lint_off UNUSEDSIGNAL */ // the harness uses the registered output path
    logic [127:0] c_in_xor_unused;
    /* verilator lint_on UNUSEDSIGNAL */
    logic         sv_valid, sv_lane;
    logic [31:0]  sv_boff, sv_aad;
    logic [127:0] sv_pb, sv_acc0, sv_acc1;

    gcm_core #(
        .USER_W(17)
    ) u_core (
        .clk           (clk),
        .rst           (rst),
        .ks_valid      (ks_valid),
        .ks_ready      (ks_ready),
        .ks_key        (key_reg),
        .ks_key256     (key256_reg),
        .ks_done       (ks_done),
        .ks_h          (ks_h),
        .ks_h2         (ks_h2),
        .start_valid   (start_valid),
        .start_ready   (start_ready),
        .start_key     (key_reg),
        .start_key256  (key256_reg),
        .start_h       (h_reg),
        .start_h2      (h2_reg),
        .start_iv      (iv_reg),
        .start_decrypt (dec_reg),
        .start_resume  (st_reg == T_RESUME),
        .start_boff    (sv_boff_reg),
        .start_aad     (sv_aad_reg),
        .start_pb      (sv_pb_reg),
        .start_acc0    (sv_acc0_reg),
        .start_acc1    (sv_acc1_reg),
        .start_lane    (sv_lane_reg),
        .in_valid      (c_in_valid),
        .in_ready      (c_in_ready),
        .in_data       (s_axis_tdata),
        .in_lo         (c_in_lo),
        .in_cnt        (c_in_cnt),
        .in_aad        (c_in_aad),
        .in_last       (c_in_last),
        .in_eos        (c_in_eos),
        .in_user       (c_in_user),
        .rec_abort     (1'b0),
        .wipe          (1'b0),
        .out_valid     (c_out_valid),
        .out_ready     (c_out_ready),
        .out_data      (c_out_data),
        .out_user      (c_out_user),
        .in_xor        (c_in_xor_unused),
        .tag_valid     (tag_valid),
        .tag_ready     (tag_ready),
        .tag           (tag),
        .sv_valid      (sv_valid),
        .sv_ready      (1'b1),
        .sv_boff       (sv_boff),
        .sv_aad        (sv_aad),
        .sv_pb         (sv_pb),
        .sv_acc0       (sv_acc0),
        .sv_acc1       (sv_acc1),
        .sv_lane       (sv_lane),
        .idle          (core_idle)
    );

    // tkeep -> (lo, cnt), contiguity
    logic [4:0]  keep_cnt;
    logic [3:0]  keep_lo;
    logic        keep_contig;
    always_comb begin
        logic found;
        keep_cnt = 5'd0;
        keep_lo  = 4'd0;
        found    = 1'b0;
        for (int i = 0; i < 16; i++) begin
            keep_cnt = keep_cnt + 5'(s_axis_tkeep[i]);
            if (s_axis_tkeep[i] && !found) begin
                keep_lo = 4'(i);
                found   = 1'b1;
            end
        end
        keep_contig = (s_axis_tkeep == 16'((17'(1) << keep_cnt) - 17'(1)) << keep_lo);
    end

    // ------------------------------------------------------------ input FSM
    logic in_fire;
    assign in_fire = s_axis_tvalid && s_axis_tready;

    /* verilator lint_off UNUSEDSIGNAL */ // bytes 0-3 of the header are read directly
    logic [127:0] hdr_be;
    /* verilator lint_on UNUSEDSIGNAL */
    assign hdr_be = lanes_to_be(s_axis_tdata);

    always_comb begin
        s_axis_tready = 1'b0;
        c_in_valid    = 1'b0;
        c_in_aad      = 1'b0;
        c_in_last     = 1'b0;
        c_in_eos      = 1'b0;
        c_in_lo       = keep_lo;
        c_in_cnt      = keep_cnt;
        c_in_user     = {1'b0, s_axis_tkeep};
        ks_valid      = (st_reg == T_KSETUP);
        start_valid   = (st_reg == T_START) || (st_reg == T_RESUME);
        case (st_reg)
            T_HDR, T_KEY0, T_KEY1, T_ETAG: s_axis_tready = 1'b1;
            T_AAD: begin
                c_in_valid    = s_axis_tvalid;
                c_in_aad      = 1'b1;
                c_in_user     = {1'b1, s_axis_tkeep};
                s_axis_tready = c_in_ready;
            end
            T_BODY: begin
                c_in_valid    = s_axis_tvalid;
                c_in_last     = s_axis_tlast;
                c_in_eos      = s_axis_tuser[0] && !s_axis_tlast;
                s_axis_tready = c_in_ready;
                if (!keep_contig) begin
                    c_in_cnt = 5'd0;
                end
            end
            default: ;
        endcase
    end

    // ----------------------------------------------------------- output mux
    always_comb begin
        m_axis_tvalid = 1'b0;
        m_axis_tdata  = c_out_data;
        m_axis_tkeep  = c_out_user[15:0];
        m_axis_tlast  = 1'b0;
        m_axis_tuser  = 64'd0;
        c_out_ready   = 1'b0;
        tag_ready     = 1'b0;
        if (c_out_valid) begin
            m_axis_tvalid = !c_out_user[16];
            c_out_ready   = c_out_user[16] || m_axis_tready;
        end else if (tag_valid) begin
            m_axis_tvalid = 1'b1;
            m_axis_tdata  = lanes_to_be(tag);
            m_axis_tkeep  = 16'hffff;
            m_axis_tlast  = 1'b1;
            m_axis_tuser  = {61'd0, fmt_err_reg, dec_reg, !dec_reg || (tag == etag_reg)};
            tag_ready     = m_axis_tready;
        end
    end

    // ----------------------------------------------------------- counters
    logic [63:0] cycle_reg;
    logic [31:0] ks_lat_reg, ks_cnt_reg, rec_done_reg, auth_fail_reg, fmt_errs_reg;

    always_ff @(posedge clk) begin
        cycle_reg <= cycle_reg + 64'd1;
        case (st_reg)
            T_HDR: if (in_fire) begin
                dec_reg      <= s_axis_tdata[0];
                key256_reg   <= s_axis_tdata[1];
                aad_left_reg <= {s_axis_tdata[23:16], s_axis_tdata[31:24]};
                iv_reg       <= hdr_be[95:0];
                fmt_err_reg  <= 1'b0;
                st_reg       <= s_axis_tdata[2] ? T_KEY0 : T_START;
            end
            T_KEY0: if (in_fire) begin
                key_reg[255:128] <= lanes_to_be(s_axis_tdata);
                st_reg           <= T_KEY1;
            end
            T_KEY1: if (in_fire) begin
                key_reg[127:0] <= lanes_to_be(s_axis_tdata);
                st_reg         <= T_KSETUP;
            end
            T_KSETUP: if (ks_ready) begin
                ks_cnt_reg <= 32'd1;
                st_reg     <= T_KWAIT;
            end
            T_KWAIT: begin
                ks_cnt_reg <= ks_cnt_reg + 32'd1;
                if (ks_done) begin
                    h_reg      <= ks_h;
                    h2_reg     <= ks_h2;
                    ks_lat_reg <= ks_cnt_reg;
                    st_reg     <= T_START;
                end
            end
            T_START: if (start_ready) begin
                st_reg <= (aad_left_reg != 16'd0) ? T_AAD : (dec_reg ? T_ETAG : T_BODY);
            end
            T_AAD: if (in_fire) begin
                aad_left_reg <= (aad_left_reg > 16'd16) ? aad_left_reg - 16'd16 : 16'd0;
                if (aad_left_reg <= 16'd16) begin
                    st_reg <= dec_reg ? T_ETAG : T_BODY;
                end
            end
            T_ETAG: if (in_fire) begin
                etag_reg <= lanes_to_be(s_axis_tdata);
                st_reg   <= T_BODY;
            end
            T_BODY: if (in_fire) begin
                if (!keep_contig) begin
                    fmt_err_reg  <= 1'b1;
                    fmt_errs_reg <= fmt_errs_reg + 32'd1;
                end
                if (s_axis_tlast) begin
                    st_reg <= T_WAIT_TAG;
                end else if (s_axis_tuser[0]) begin
                    st_reg <= T_SV;
                end
            end
            T_SV: if (sv_valid) begin
                sv_boff_reg  <= sv_boff;
                sv_aad_reg   <= sv_aad;
                sv_pb_reg    <= sv_pb;
                sv_acc0_reg  <= sv_acc0;
                sv_acc1_reg  <= sv_acc1;
                sv_lane_reg  <= sv_lane;
                segments_reg <= segments_reg + 32'd1;
                st_reg       <= T_RESUME;
            end
            T_RESUME: if (start_ready) begin
                st_reg <= T_BODY;
            end
            T_WAIT_TAG: if (tag_valid && tag_ready) begin
                rec_done_reg <= rec_done_reg + 32'd1;
                if (dec_reg && tag != etag_reg) begin
                    auth_fail_reg <= auth_fail_reg + 32'd1;
                end
                st_reg <= T_HDR;
            end
            default: st_reg <= T_HDR;
        endcase
        if (rst) begin
            st_reg        <= T_HDR;
            cycle_reg     <= 64'd0;
            ks_lat_reg    <= 32'd0;
            rec_done_reg  <= 32'd0;
            auth_fail_reg <= 32'd0;
            fmt_errs_reg  <= 32'd0;
            fmt_err_reg   <= 1'b0;
            segments_reg  <= 32'd0;
        end
    end

    // ---------------------------------------------------------------- CSRs
    /* verilator lint_off UNUSEDSIGNAL */ // all CSRs are read-only
    logic        reg_wr_en;
    logic [15:0] reg_wr_addr;
    logic [31:0] reg_wr_data;
    logic [3:0]  reg_wr_strb;
    logic        reg_rd_en;
    /* verilator lint_on UNUSEDSIGNAL */
    logic [15:0] reg_rd_addr;
    logic [31:0] reg_rd_data;

    axil_reg_if #(
        .ADDR_W(16)
    ) u_axil (
        .clk            (clk),
        .rst            (rst),
        .s_axil_awaddr  (s_axil_awaddr),
        .s_axil_awvalid (s_axil_awvalid),
        .s_axil_awready (s_axil_awready),
        .s_axil_wdata   (s_axil_wdata),
        .s_axil_wstrb   (s_axil_wstrb),
        .s_axil_wvalid  (s_axil_wvalid),
        .s_axil_wready  (s_axil_wready),
        .s_axil_bresp   (s_axil_bresp),
        .s_axil_bvalid  (s_axil_bvalid),
        .s_axil_bready  (s_axil_bready),
        .s_axil_araddr  (s_axil_araddr),
        .s_axil_arvalid (s_axil_arvalid),
        .s_axil_arready (s_axil_arready),
        .s_axil_rdata   (s_axil_rdata),
        .s_axil_rresp   (s_axil_rresp),
        .s_axil_rvalid  (s_axil_rvalid),
        .s_axil_rready  (s_axil_rready),
        .reg_wr_en      (reg_wr_en),
        .reg_wr_addr    (reg_wr_addr),
        .reg_wr_data    (reg_wr_data),
        .reg_wr_strb    (reg_wr_strb),
        .reg_rd_en      (reg_rd_en),
        .reg_rd_addr    (reg_rd_addr),
        .reg_rd_data    (reg_rd_data)
    );

    always_comb begin
        case (reg_rd_addr)
            16'h0000: reg_rd_data = 32'h544C_534E;
            16'h0004: reg_rd_data = 32'h0001_0000;
            16'h0008: reg_rd_data = cycle_reg[31:0];
            16'h000C: reg_rd_data = cycle_reg[63:32];
            16'h0010: reg_rd_data = ks_lat_reg;
            16'h0014: reg_rd_data = rec_done_reg;
            16'h0018: reg_rd_data = auth_fail_reg;
            16'h001C: reg_rd_data = fmt_errs_reg;
            16'h0020: reg_rd_data = {31'd0, core_idle};
            16'h0024: reg_rd_data = segments_reg;
            default:  reg_rd_data = 32'hDEAD_BEEF;
        endcase
    end

    // ---------------------------------------------------------- Assertions
    // Protocol checkers on every port (rtl/common/*_checker.sv): simulation
    // only, empty under SYNTHESIS.
    // Job beats may keep any lanes (body chunks at any offset, empty beats):
    // handshake rules only.
    axis_checker #(
        .DATA_W($bits(s_axis_tdata)), .KEEP_W($bits(s_axis_tkeep)), .USER_W($bits(s_axis_tuser)),
        .PACKED(1'b0)
    ) u_chk_s_axis (
        .clk(clk), .rst(rst), .tdata(s_axis_tdata), .tkeep(s_axis_tkeep), .tvalid(s_axis_tvalid),
        .tready(s_axis_tready), .tlast(s_axis_tlast), .tuser(s_axis_tuser)
    );
    axis_checker #(
        .DATA_W($bits(m_axis_tdata)), .KEEP_W($bits(m_axis_tkeep)), .USER_W($bits(m_axis_tuser)),
        .PACKED(1'b0)
    ) u_chk_m_axis (
        .clk(clk), .rst(rst), .tdata(m_axis_tdata), .tkeep(m_axis_tkeep), .tvalid(m_axis_tvalid),
        .tready(m_axis_tready), .tlast(m_axis_tlast), .tuser(m_axis_tuser)
    );
    axil_checker #(.ADDR_W($bits(s_axil_awaddr)), .DATA_W($bits(s_axil_wdata))) u_chk_s_axil (
        .clk(clk), .rst(rst),
        .awaddr(s_axil_awaddr), .awvalid(s_axil_awvalid), .awready(s_axil_awready),
        .wdata(s_axil_wdata), .wstrb(s_axil_wstrb), .wvalid(s_axil_wvalid), .wready(s_axil_wready),
        .bresp(s_axil_bresp), .bvalid(s_axil_bvalid), .bready(s_axil_bready),
        .araddr(s_axil_araddr), .arvalid(s_axil_arvalid), .arready(s_axil_arready),
        .rdata(s_axil_rdata), .rresp(s_axil_rresp), .rvalid(s_axil_rvalid), .rready(s_axil_rready)
    );

endmodule

`default_nettype wire
