//! The drawn cover: a 1600×2400 PNG with the title, subtitle and authors set in the book's fonts.
//!
//! Input: the book metadata and the [`FontSet`]. Output: PNG bytes, identical on every build (no
//! clock, no randomness, fixed colours and sizes). Glyph outlines come from `ttf_parser` (through
//! rustybuzz); a small coverage-accumulation rasterizer (the font-rs method: signed area per
//! pixel, prefix-summed along each row) turns them into anti-aliased alpha.

use super::EpubError;
use crate::config::BookMeta;
use crate::fonts::{FontSet, Role};
use image::{Rgb, RgbImage};
use rustybuzz::ttf_parser;

const W: u32 = 1600;
const H: u32 = 2400;
const PAPER: [u8; 3] = [0xF1, 0xEC, 0xE2];
const INK: [u8; 3] = [0x2F, 0x48, 0x58];
const LIGHT: [u8; 3] = [0xFB, 0xF8, 0xF1];
const ACCENT: [u8; 3] = [0xB0, 0x8D, 0x57];
const GREY: [u8; 3] = [0x4A, 0x4A, 0x4A];

/// Draw the cover and encode it as PNG.
pub fn draw(book: &BookMeta, fonts: &FontSet) -> Result<Vec<u8>, EpubError> {
    let mut img = RgbImage::from_pixel(W, H, Rgb(PAPER));
    fill(&mut img, 0, 520, W, 900, INK);
    fill(&mut img, 160, 600, W - 320, 6, ACCENT);
    fill(&mut img, 160, 1334, W - 320, 6, ACCENT);
    let measure = (W - 320) as f32;

    let title_lines = wrap(fonts, Role::SansBold, &book.title, 120.0, measure);
    let pitch = 120.0 * 1.35;
    let block = pitch * title_lines.len() as f32;
    let mut y = 970.0 - block / 2.0 + 120.0 * 0.95;
    for line in &title_lines {
        draw_line(&mut img, fonts, Role::SansBold, line, 120.0, y, LIGHT);
        y += pitch;
    }
    let mut y = 1560.0;
    if let Some(sub) = &book.subtitle {
        for line in wrap(fonts, Role::Kai, sub, 72.0, measure) {
            draw_line(&mut img, fonts, Role::Kai, &line, 72.0, y, INK);
            y += 72.0 * 1.4;
        }
    }
    let authors = book.authors.join("　");
    let mut y = 2040.0;
    for line in wrap(fonts, Role::Serif, &authors, 60.0, measure) {
        draw_line(&mut img, fonts, Role::Serif, &line, 60.0, y, GREY);
        y += 60.0 * 1.4;
    }
    if let Some(p) = &book.publisher {
        draw_line(&mut img, fonts, Role::Serif, p, 44.0, 2290.0, GREY);
    }
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| EpubError::Cover(e.to_string()))?;
    Ok(png)
}

fn fill(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, c: [u8; 3]) {
    for yy in y..(y + h).min(H) {
        for xx in x..(x + w).min(W) {
            img.put_pixel(xx, yy, Rgb(c));
        }
    }
}

/// The face and glyph that draw `c` in `role`, if any font has it.
fn glyph<'f>(
    fonts: &'f FontSet,
    role: Role,
    c: char,
) -> Option<(ttf_parser::Face<'f>, ttf_parser::GlyphId)> {
    let id = fonts.face_for_char(role, c)?;
    let face = fonts.get(id);
    let f = ttf_parser::Face::parse(face.data(), face.index()).ok()?;
    let g = f.glyph_index(c)?;
    Some((f, g))
}

fn advance(fonts: &FontSet, role: Role, c: char, px: f32) -> f32 {
    match glyph(fonts, role, c) {
        Some((f, g)) => {
            f32::from(f.glyph_hor_advance(g).unwrap_or(0)) * px / f32::from(f.units_per_em().max(1))
        }
        None => px * 0.5,
    }
}

fn width(fonts: &FontSet, role: Role, s: &str, px: f32) -> f32 {
    s.chars().map(|c| advance(fonts, role, c, px)).sum()
}

/// Greedy line filling: Latin words stay whole, CJK breaks between characters, and closing or
/// stop punctuation stays with the character before it.
fn wrap(fonts: &FontSet, role: Role, s: &str, px: f32, measure: f32) -> Vec<String> {
    let mut tokens: Vec<String> = Vec::new();
    for c in s.chars() {
        let wide = crate::diag::is_wide(c);
        let glue = "，。、；：？！）》」』”’".contains(c);
        match tokens.last_mut() {
            Some(t) if glue => t.push(c),
            Some(t)
                if !wide
                    && c != ' '
                    && t.chars()
                        .last()
                        .is_some_and(|p| !crate::diag::is_wide(p) && p != ' ') =>
            {
                t.push(c)
            }
            _ => tokens.push(c.to_string()),
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for t in tokens {
        let candidate = format!("{cur}{t}");
        if !cur.trim().is_empty() && width(fonts, role, candidate.trim_end(), px) > measure {
            lines.push(cur.trim().to_string());
            cur = t.trim_start().to_string();
        } else {
            cur = candidate;
        }
    }
    if !cur.trim().is_empty() {
        lines.push(cur.trim().to_string());
    }
    lines
}

/// Draw one line centred horizontally with its baseline at `baseline`.
fn draw_line(
    img: &mut RgbImage,
    fonts: &FontSet,
    role: Role,
    s: &str,
    px: f32,
    baseline: f32,
    color: [u8; 3],
) {
    let mut x = (W as f32 - width(fonts, role, s, px)) / 2.0;
    for c in s.chars() {
        if let Some((f, g)) = glyph(fonts, role, c) {
            let scale = px / f32::from(f.units_per_em().max(1));
            let mut path = Path::default();
            if f.outline_glyph(g, &mut path).is_some() {
                paint(img, &path.lines, scale, x, baseline, color);
            }
        }
        x += advance(fonts, role, c, px);
    }
}

/// A glyph outline flattened to line segments, in font units (y up).
#[derive(Default)]
struct Path {
    lines: Vec<[(f32, f32); 2]>,
    start: (f32, f32),
    pen: (f32, f32),
}

impl Path {
    fn to(&mut self, p: (f32, f32)) {
        self.lines.push([self.pen, p]);
        self.pen = p;
    }
}

const STEPS: usize = 12;

impl ttf_parser::OutlineBuilder for Path {
    fn move_to(&mut self, x: f32, y: f32) {
        self.start = (x, y);
        self.pen = (x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.to((x, y));
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let p0 = self.pen;
        for i in 1..=STEPS {
            let t = i as f32 / STEPS as f32;
            let u = 1.0 - t;
            self.to((
                u * u * p0.0 + 2.0 * u * t * x1 + t * t * x,
                u * u * p0.1 + 2.0 * u * t * y1 + t * t * y,
            ));
        }
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let p0 = self.pen;
        for i in 1..=STEPS {
            let t = i as f32 / STEPS as f32;
            let u = 1.0 - t;
            let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            self.to((
                a * p0.0 + b * x1 + c * x2 + d * x,
                a * p0.1 + b * y1 + c * y2 + d * y,
            ));
        }
    }
    fn close(&mut self) {
        if self.pen != self.start {
            self.to(self.start);
        }
    }
}

/// Rasterize `lines` (font units) at `scale`, origin (`ox`, `baseline`) in pixels, and blend `color`.
fn paint(
    img: &mut RgbImage,
    lines: &[[(f32, f32); 2]],
    scale: f32,
    ox: f32,
    baseline: f32,
    color: [u8; 3],
) {
    let pts = lines.iter().flatten();
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in pts {
        let (px, py) = (ox + x * scale, baseline - y * scale);
        x0 = x0.min(px);
        x1 = x1.max(px);
        y0 = y0.min(py);
        y1 = y1.max(py);
    }
    if !(x0.is_finite() && y1.is_finite()) || x1 - x0 > W as f32 || y1 - y0 > H as f32 {
        return;
    }
    let (left, top) = (x0.floor() - 1.0, y0.floor() - 1.0);
    let w = (x1 - left).ceil() as usize + 3;
    let h = (y1 - top).ceil() as usize + 2;
    let mut acc = vec![0f32; w * h + 3];
    for [a, b] in lines {
        let p = (ox + a.0 * scale - left, baseline - a.1 * scale - top);
        let q = (ox + b.0 * scale - left, baseline - b.1 * scale - top);
        segment(&mut acc, w, h, p, q);
    }
    let mut sum = 0f32;
    for (i, a) in acc.iter().enumerate().take(w * h) {
        sum += a;
        let cov = sum.abs().min(1.0);
        if cov <= 0.0 {
            continue;
        }
        let (gx, gy) = (left as i64 + (i % w) as i64, top as i64 + (i / w) as i64);
        if gx < 0 || gy < 0 || gx >= i64::from(W) || gy >= i64::from(H) {
            continue;
        }
        let px = img.get_pixel_mut(gx as u32, gy as u32);
        for (dst, &src) in px.0.iter_mut().zip(&color) {
            let v = f32::from(*dst) * (1.0 - cov) + f32::from(src) * cov;
            *dst = v.round().clamp(0.0, 255.0) as u8;
        }
    }
}

/// Accumulate the signed area of one line segment (pixel coordinates inside the buffer).
fn segment(acc: &mut [f32], w: usize, h: usize, p0: (f32, f32), p1: (f32, f32)) {
    if (p0.1 - p1.1).abs() <= f32::EPSILON {
        return;
    }
    let (dir, p0, p1) = if p0.1 < p1.1 {
        (1.0, p0, p1)
    } else {
        (-1.0, p1, p0)
    };
    let dxdy = (p1.0 - p0.0) / (p1.1 - p0.1);
    let mut x = p0.0;
    let mut add = |i: usize, v: f32| {
        if let Some(a) = acc.get_mut(i) {
            *a += v;
        }
    };
    let y_start = p0.1.max(0.0) as usize;
    for y in y_start..h.min(p1.1.ceil() as usize) {
        let row = y * w;
        let dy = ((y + 1) as f32).min(p1.1) - (y as f32).max(p0.1);
        let xnext = x + dxdy * dy;
        let d = dy * dir;
        let (xa, xb) = if x < xnext { (x, xnext) } else { (xnext, x) };
        let (xa, xb) = (xa.max(0.0), xb.max(0.0));
        let xaf = xa.floor();
        let xai = xaf as usize;
        let xbc = xb.ceil();
        let xbi = xbc as usize;
        if xbi <= xai + 1 {
            let xmf = 0.5 * (x + xnext) - xaf;
            add(row + xai, d - d * xmf);
            add(row + xai + 1, d * xmf);
        } else {
            let s = (xb - xa).recip();
            let x0f = xa - xaf;
            let a0 = 0.5 * s * (1.0 - x0f) * (1.0 - x0f);
            let x1f = xb - xbc + 1.0;
            let am = 0.5 * s * x1f * x1f;
            add(row + xai, d * a0);
            if xbi == xai + 2 {
                add(row + xai + 1, d * (1.0 - a0 - am));
            } else {
                let a1 = s * (1.5 - x0f);
                add(row + xai + 1, d * (a1 - a0));
                for xi in xai + 2..xbi - 1 {
                    add(row + xi, d * s);
                }
                let a2 = a1 + (xbi - xai - 3) as f32 * s;
                add(row + xbi - 1, d * (1.0 - a2 - am));
            }
            add(row + xbi, d * am);
        }
        x = xnext;
    }
}
