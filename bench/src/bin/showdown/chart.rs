//! The chart the README shows: requests/s per endpoint and implementation,
//! horizontal bars on a log scale (FastAPI and Rust differ by orders of magnitude).

use std::fmt::Write as _;

use crate::report::{thousands, Report};

const COLORS: [(&str, &str); 6] = [
    ("fastapi", "#059669"),
    ("axum", "#6b7280"),
    ("ferroapi", "#ea580c"),
    ("ferroapi-shipped", "#f59e0b"),
    ("actix", "#2563eb"),
    ("poem", "#9333ea"),
];

fn color(name: &str) -> &'static str {
    COLORS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("#111827", |(_, c)| c)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub fn svg(report: &Report) -> String {
    let series = report.series();
    let servers: Vec<String> = report.servers.iter().map(|s| s.name.clone()).collect();
    let all: Vec<f64> = series
        .iter()
        .flat_map(|(_, bars)| bars.iter().map(|(_, v)| *v))
        .filter(|v| *v > 0.0)
        .collect();
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min).max(1.0);
    let hi = all.iter().copied().fold(0.0, f64::max).max(10.0);
    let (lo_exp, hi_exp) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let (left, width, bar, gap, top) = (150.0, 620.0, 13.0, 14.0, 70.0);
    let group = bar * servers.len() as f64 + gap;
    let height = top + group * series.len() as f64 + 40.0;
    let total_width = left + width + 90.0;
    let x = |v: f64| {
        let t = (v.max(1.0).log10() - f64::from(lo_exp)) / f64::from(hi_exp - lo_exp).max(1.0);
        left + t.clamp(0.0, 1.0) * width
    };

    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{total_width}" height="{height}" viewBox="0 0 {total_width} {height}" font-family="sans-serif" font-size="11">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{left}" y="20" font-size="15" font-weight="bold">Requests per second (log scale, higher is better)</text>"#
    );
    let _ = writeln!(
        s,
        r##"<text x="{left}" y="36" fill="#4b5563">{}</text>"##,
        escape(&report.caption())
    );
    // Legend.
    let mut lx = left;
    for name in &servers {
        let _ = writeln!(
            s,
            r#"<rect x="{lx}" y="46" width="10" height="10" fill="{}"/><text x="{}" y="55">{}</text>"#,
            color(name),
            lx + 14.0,
            escape(name)
        );
        lx += 24.0 + 7.0 * name.len() as f64;
    }
    // Grid: one line per power of ten.
    for e in lo_exp..=hi_exp {
        let v = 10f64.powi(e);
        let gx = x(v);
        let _ = writeln!(
            s,
            r##"<line x1="{gx}" y1="{top}" x2="{gx}" y2="{}" stroke="#e5e7eb"/><text x="{gx}" y="{}" text-anchor="middle" fill="#6b7280">{}</text>"##,
            height - 30.0,
            height - 16.0,
            thousands(v)
        );
    }
    for (g, (endpoint, bars)) in series.iter().enumerate() {
        let gy = top + group * g as f64;
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end" font-weight="bold">{}</text>"#,
            left - 8.0,
            gy + group / 2.0,
            escape(endpoint)
        );
        for (name, value) in bars {
            let Some(i) = servers.iter().position(|n| n == name) else {
                continue;
            };
            let y = gy + bar * i as f64;
            let w = (x(*value) - left).max(1.0);
            let _ = writeln!(
                s,
                r#"<rect x="{left}" y="{y}" width="{w:.1}" height="{}" fill="{}"><title>{} {}: {} req/s</title></rect><text x="{:.1}" y="{:.1}" font-size="9">{}</text>"#,
                bar - 2.0,
                color(name),
                escape(name),
                escape(endpoint),
                thousands(*value),
                left + w + 3.0,
                y + bar - 4.0,
                thousands(*value)
            );
        }
    }
    s.push_str("</svg>\n");
    s
}
