//! Draws the two figures of the sample book 《ICLR 2022 论文导读》 as PNG files.
//!
//! * `images/ardm-order.png` — the decoding order of an order-agnostic
//!   autoregressive diffusion model (chapter 1) on an 8×8 pixel grid: four
//!   panels show the grid after 16, 32, 48 and 63 generation steps, the shade
//!   of a filled cell encodes the step at which it was generated (dark = early)
//!   and a red ring marks the pixel that will be generated next. A strip under
//!   the panels is the shade legend, from step 1 to step 64.
//! * `images/brownian-bridge.png` — a Brownian bridge between two sentence
//!   embeddings (Time Control, chapter 7): eight sample paths in 2-D pinned at
//!   a start point and an end point, the straight mean line (dashed), and a
//!   light band of two standard deviations around it.
//!
//! Both figures are 1600 px wide (about 13.5 cm at 300 dpi), use a handful of
//! flat colours and no text (labels live in the Markdown captions). All
//! randomness comes from a tiny seeded PRNG, so every run writes byte-identical
//! files.
//!
//! Run from the repository root with:
//!
//! ```text
//! cargo run --example figures
//! ```

use std::error::Error;
use std::fs::{self, File};
use std::io::BufWriter;
use std::path::Path;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ImageEncoder, Rgb, RgbImage};

const WHITE: Rgb<u8> = Rgb([255, 255, 255]);
const GRID: Rgb<u8> = Rgb([170, 170, 170]);
const INK: Rgb<u8> = Rgb([40, 40, 40]);
const RED: Rgb<u8> = Rgb([200, 40, 40]);
const BAND: Rgb<u8> = Rgb([232, 236, 242]);

#[path = "../tests/common/rng.rs"]
mod rng;
use rng::Rng;

fn fill_rect(img: &mut RgbImage, x0: i64, y0: i64, w: i64, h: i64, c: Rgb<u8>) {
    let (iw, ih) = (i64::from(img.width()), i64::from(img.height()));
    for y in y0.max(0)..(y0 + h).min(ih) {
        for x in x0.max(0)..(x0 + w).min(iw) {
            img.put_pixel(x as u32, y as u32, c);
        }
    }
}

fn fill_disc(img: &mut RgbImage, cx: f64, cy: f64, r: f64, c: Rgb<u8>) {
    let (iw, ih) = (i64::from(img.width()), i64::from(img.height()));
    let x0 = ((cx - r).floor() as i64).max(0);
    let x1 = ((cx + r).ceil() as i64).min(iw - 1);
    let y0 = ((cy - r).floor() as i64).max(0);
    let y1 = ((cy + r).ceil() as i64).min(ih - 1);
    for y in y0..=y1 {
        for x in x0..=x1 {
            let (dx, dy) = (x as f64 + 0.5 - cx, y as f64 + 0.5 - cy);
            if dx * dx + dy * dy <= r * r {
                img.put_pixel(x as u32, y as u32, c);
            }
        }
    }
}

fn ring(img: &mut RgbImage, cx: f64, cy: f64, r: f64, width: f64, c: Rgb<u8>) {
    let (iw, ih) = (i64::from(img.width()), i64::from(img.height()));
    let outer = r + width / 2.0;
    let inner = r - width / 2.0;
    let x0 = ((cx - outer).floor() as i64).max(0);
    let x1 = ((cx + outer).ceil() as i64).min(iw - 1);
    let y0 = ((cy - outer).floor() as i64).max(0);
    let y1 = ((cy + outer).ceil() as i64).min(ih - 1);
    for y in y0..=y1 {
        for x in x0..=x1 {
            let (dx, dy) = (x as f64 + 0.5 - cx, y as f64 + 0.5 - cy);
            let d2 = dx * dx + dy * dy;
            if d2 <= outer * outer && d2 >= inner * inner {
                img.put_pixel(x as u32, y as u32, c);
            }
        }
    }
}

/// A thick line drawn by stamping discs every half pixel.
fn thick_line(img: &mut RgbImage, a: (f64, f64), b: (f64, f64), width: f64, c: Rgb<u8>) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let steps = ((dx * dx + dy * dy).sqrt() * 2.0).ceil().max(1.0) as usize;
    for i in 0..=steps {
        let t = i as f64 / steps as f64;
        fill_disc(img, a.0 + t * dx, a.1 + t * dy, width / 2.0, c);
    }
}

/// A dashed thick line: `dash` pixels on, `gap` pixels off.
fn dashed_line(
    img: &mut RgbImage,
    a: (f64, f64),
    b: (f64, f64),
    width: f64,
    dash: f64,
    gap: f64,
    c: Rgb<u8>,
) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    let (ux, uy) = (dx / len, dy / len);
    let mut s = 0.0;
    while s < len {
        let e = (s + dash).min(len);
        thick_line(
            img,
            (a.0 + ux * s, a.1 + uy * s),
            (a.0 + ux * e, a.1 + uy * e),
            width,
            c,
        );
        s += dash + gap;
    }
}

/// Linear blend between two colours, `t` in `[0, 1]`.
fn mix(a: Rgb<u8>, b: Rgb<u8>, t: f64) -> Rgb<u8> {
    let ch = |i: usize| (f64::from(a.0[i]) * (1.0 - t) + f64::from(b.0[i]) * t).round() as u8;
    Rgb([ch(0), ch(1), ch(2)])
}

fn save_png(img: &RgbImage, path: &Path) -> Result<(), Box<dyn Error>> {
    let file = BufWriter::new(File::create(path)?);
    let encoder = PngEncoder::new_with_quality(file, CompressionType::Best, FilterType::Adaptive);
    encoder.write_image(
        img.as_raw(),
        img.width(),
        img.height(),
        image::ExtendedColorType::Rgb8,
    )?;
    let size = fs::metadata(path)?.len();
    println!(
        "wrote {} ({}×{}, {} bytes)",
        path.display(),
        img.width(),
        img.height(),
        size
    );
    Ok(())
}

/// Figure 1-1: decoding order of an order-agnostic ARDM on an 8×8 grid.
fn ardm_order() -> RgbImage {
    const N: usize = 8; // grid side
    const CELL: i64 = 44; // cell size in px
    const MARGIN: i64 = 48;
    const GAP: i64 = 32;
    const SHOWN: [usize; 4] = [16, 32, 48, 63];
    let panel = CELL * N as i64;
    let width = 2 * MARGIN + 4 * panel + 3 * GAP; // 1600
    let legend_h = 28;
    let height = MARGIN + panel + 40 + legend_h + MARGIN;

    // A random permutation of the 64 pixels (Fisher–Yates), seeded.
    let mut rng = Rng(2022_0425);
    let mut order: Vec<usize> = (0..N * N).collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i + 1);
        order.swap(i, j);
    }
    // step[p] = at which step (0-based) pixel p is generated.
    let mut step = vec![0usize; N * N];
    for (t, &p) in order.iter().enumerate() {
        step[p] = t;
    }

    let early = Rgb([20, 52, 110]);
    let late = Rgb([170, 205, 235]);
    // Quantise shades to 16 levels to keep the palette small.
    let shade = |t: usize| mix(early, late, (t * 16 / (N * N)) as f64 / 15.0);

    let mut img = RgbImage::from_pixel(width as u32, height as u32, WHITE);
    for (k, &shown) in SHOWN.iter().enumerate() {
        let px = MARGIN + k as i64 * (panel + GAP);
        let py = MARGIN;
        for (p, &t) in step.iter().enumerate() {
            let (r, c) = ((p / N) as i64, (p % N) as i64);
            if t < shown {
                fill_rect(&mut img, px + c * CELL, py + r * CELL, CELL, CELL, shade(t));
            }
        }
        // Grid lines (2 px) and a heavier frame.
        for i in 0..=N as i64 {
            fill_rect(&mut img, px + i * CELL - 1, py - 1, 2, panel + 2, GRID);
            fill_rect(&mut img, px - 1, py + i * CELL - 1, panel + 2, 2, GRID);
        }
        fill_rect(&mut img, px - 3, py - 3, panel + 6, 3, INK);
        fill_rect(&mut img, px - 3, py + panel, panel + 6, 3, INK);
        fill_rect(&mut img, px - 3, py - 3, 3, panel + 6, INK);
        fill_rect(&mut img, px + panel, py - 3, 3, panel + 6, INK);
        // Ring around the pixel to be generated next.
        if let Some(&next) = order.get(shown) {
            let (r, c) = ((next / N) as i64, (next % N) as i64);
            let cx = (px + c * CELL) as f64 + CELL as f64 / 2.0;
            let cy = (py + r * CELL) as f64 + CELL as f64 / 2.0;
            ring(&mut img, cx, cy, CELL as f64 * 0.34, 5.0, RED);
        }
    }

    // Legend: 64 segments from step 1 (left, dark) to step 64 (right, light).
    let ly = MARGIN + panel + 40;
    let lw = width - 2 * MARGIN;
    for t in 0..N * N {
        let x0 = MARGIN + lw * t as i64 / (N * N) as i64;
        let x1 = MARGIN + lw * (t as i64 + 1) / (N * N) as i64;
        fill_rect(&mut img, x0, ly, x1 - x0, legend_h, shade(t));
    }
    img
}

/// Figure 7-1: Brownian bridge sample paths between two sentence embeddings.
fn brownian_bridge() -> RgbImage {
    const W: u32 = 1600;
    const H: u32 = 1000;
    const STEPS: usize = 120;
    const PATHS: usize = 6;
    let start = (220.0, 760.0);
    let end = (1380.0, 260.0);
    let sigma = 200.0; // spread in px; std at time t is sigma * sqrt(t(1-t))

    let mut img = RgbImage::from_pixel(W, H, WHITE);
    let lerp = |t: f64| {
        (
            start.0 + t * (end.0 - start.0),
            start.1 + t * (end.1 - start.1),
        )
    };

    // Band of two standard deviations: std at time t is sigma * sqrt(t(1-t)).
    for i in 0..=STEPS {
        let t = i as f64 / STEPS as f64;
        let (mx, my) = lerp(t);
        fill_disc(&mut img, mx, my, 2.0 * sigma * (t * (1.0 - t)).sqrt(), BAND);
    }

    let palette = [
        Rgb([31, 119, 180]),
        Rgb([255, 127, 14]),
        Rgb([44, 160, 44]),
        Rgb([148, 103, 189]),
        Rgb([140, 86, 75]),
        Rgb([227, 119, 194]),
        Rgb([23, 190, 207]),
        Rgb([188, 189, 34]),
    ];
    let mut rng = Rng(0x7C0_2022);
    for colour in palette.iter().take(PATHS) {
        // Random walk W, then bridge B(t) = W(t) - t W(1), in both coordinates.
        let dt = 1.0 / STEPS as f64;
        let mut walk = vec![(0.0f64, 0.0f64); STEPS + 1];
        for i in 1..=STEPS {
            let (wx, wy) = walk[i - 1];
            walk[i] = (wx + rng.normal() * dt.sqrt(), wy + rng.normal() * dt.sqrt());
        }
        let (ex, ey) = walk[STEPS];
        let pts: Vec<(f64, f64)> = walk
            .iter()
            .enumerate()
            .map(|(i, &(wx, wy))| {
                let t = i as f64 / STEPS as f64;
                let (mx, my) = lerp(t);
                (mx + sigma * (wx - t * ex), my + sigma * (wy - t * ey))
            })
            .collect();
        for seg in pts.windows(2) {
            thick_line(&mut img, seg[0], seg[1], 4.0, *colour);
        }
    }

    dashed_line(&mut img, start, end, 5.0, 24.0, 14.0, INK);
    for &(x, y) in &[start, end] {
        fill_disc(&mut img, x, y, 17.0, INK);
        fill_disc(&mut img, x, y, 10.0, WHITE);
    }
    img
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = Path::new("images");
    fs::create_dir_all(dir)?;
    save_png(&ardm_order(), &dir.join("ardm-order.png"))?;
    save_png(&brownian_bridge(), &dir.join("brownian-bridge.png"))?;
    Ok(())
}
