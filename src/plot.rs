//! `tlsnic bench --svg FILE`: the sweep rows drawn as payload bytes per
//! clock against segment size (log scale), one line per stream width and
//! record size, each width's bytes per beat as a dashed ceiling.

use anyhow::{anyhow, Result};
use plotters::prelude::*;
use std::path::Path;
use tlsnic_testbench::throughput::Row;

/// One line of the plot: (stream width, record size) and its points
/// (segment, payload bytes per clock).
type Line = ((usize, usize), Vec<(f64, f64)>);

/// Draw `rows` (TX sweep rows of one or more widths) into an SVG file.
pub fn sweep_svg(path: &Path, rows: &[Row]) -> Result<()> {
    let e = |e: &dyn std::fmt::Display| anyhow!("drawing {}: {e}", path.display());
    let mut lines: Vec<Line> = Vec::new();
    for r in rows {
        let key = (r.data_w, r.load.record);
        let pt = (r.load.segment as f64, r.payload_bytes_per_cycle());
        match lines.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(pt),
            None => lines.push((key, vec![pt])),
        }
    }
    if lines.is_empty() {
        return Err(anyhow!("no sweep rows to draw into {}", path.display()));
    }
    let seg = |f: fn(f64, f64) -> f64, init| rows.iter().map(|r| r.load.segment as f64).fold(init, f);
    let (x0, x1) = (seg(f64::min, f64::MAX) * 0.8, seg(f64::max, 0.0) * 1.25);
    let widths: Vec<usize> = {
        let mut w: Vec<usize> = lines.iter().map(|((w, _), _)| *w).collect();
        w.dedup();
        w
    };
    let ymax = widths.iter().map(|w| *w as f64 / 8.0).fold(0.0, f64::max) * 1.08;
    let root = SVGBackend::new(path, (900, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(|x| e(&x))?;
    let mut c = ChartBuilder::on(&root)
        .caption("tlsnic TX offload: payload bytes per clock (1 connection, TLS 1.2)", ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(42)
        .y_label_area_size(52)
        .build_cartesian_2d((x0..x1).log_scale(), 0.0..ymax)
        .map_err(|x| e(&x))?;
    c.configure_mesh()
        .x_desc("TCP segment (payload bytes)")
        .y_desc("payload bytes per clock")
        .draw()
        .map_err(|x| e(&x))?;
    for (i, w) in widths.iter().enumerate() {
        let beat = *w as f64 / 8.0;
        let col = Palette99::pick(i * 5).to_rgba();
        c.draw_series(DashedLineSeries::new(vec![(x0, beat), (x1, beat)], 6, 4, col.stroke_width(1)))
            .map_err(|x| e(&x))?
            .label(format!("{w}-bit stream: {beat} bytes per beat"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], col));
    }
    for (i, ((w, rec), pts)) in lines.iter().enumerate() {
        let col = Palette99::pick(i).to_rgba();
        c.draw_series(LineSeries::new(pts.clone(), col.stroke_width(2)))
            .map_err(|x| e(&x))?
            .label(format!("{w}-bit, {rec}-byte records"))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], col.stroke_width(2)));
        c.draw_series(pts.iter().map(|&p| Circle::new(p, 3, col.filled()))).map_err(|x| e(&x))?;
    }
    c.configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|x| e(&x))?;
    root.present().map_err(|x| e(&x))?;
    Ok(())
}
