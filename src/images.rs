//! images: each image of the book checked once, in the load stage, so both writers can trust it.
//!
//! Stage: part of `load`, after the image paths are resolved. Input: an image file's bytes and its name.
//! Output: a [`Picture`] (the bytes the writers embed, their format and size) or an [`ImageError`] saying
//! why the image cannot be used. This is the only module that decodes images with the `image` and `png`
//! crates; the EPUB writer asks it for PNG conversions, the PDF writer embeds what it returns.
//!
//! folio supports PNG, JPEG, GIF and WebP: formats both the EPUB (natively, or WebP converted to PNG)
//! and the PDF can carry. Anything else (SVG, BMP, TIFF, HEIC, …) is refused with its name.
//!
//! Bounded work: the size is read from the header before anything is decoded. Images within
//! [`MAX_SIDE`] are decoded once (to find damaged files) under a [`DECODE_BUDGET`] allocation limit.
//! Larger ones get a scaled copy: a PNG is streamed row by row into a box filter (memory for two rows
//! and the copy, whatever the source size), other formats are decoded under the same budget, then
//! shrunk. Sources above [`MAX_SOURCE_PIXELS`] are refused rather than decoded.

use std::io::Cursor;
use std::path::Path;

/// The longest side, in pixels, of any image the outputs carry; larger images are scaled down to it.
/// At 3000 px a figure set across a 150 mm text block prints at about 500 dpi, more than the 300 dpi
/// print needs, and an EPUB image stays within the 4–5 megapixels e-reading systems display without
/// resampling for most aspect ratios (Apple Books asks for at most 4 million pixels).
pub const MAX_SIDE: u32 = 3000;

/// The most memory the decoder of one image may allocate (the decoded pixels included): 256 MiB holds a
/// 3000 × 3000 RGBA image with 16 bits per channel (72 MB) with room, and an 80-megapixel RGB photo
/// that is then scaled down.
pub const DECODE_BUDGET: u64 = 256 * 1024 * 1024;

/// Images with more pixels than this are refused instead of scaled: 625 megapixels (25 000 × 25 000).
/// Streaming them costs little memory, but time grows with the pixel count, and a decompression bomb
/// (a few KB of PNG claiming 65 535 × 65 535 pixels) must not stall the build.
pub const MAX_SOURCE_PIXELS: u64 = 25_000 * 25_000;

/// An image format folio supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Png,
    Jpeg,
    Gif,
    WebP,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Gif => "GIF",
            Format::WebP => "WebP",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Gif => "image/gif",
            Format::WebP => "image/webp",
        }
    }

    /// The file name extension this format is written with.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Gif => "gif",
            Format::WebP => "webp",
        }
    }

    /// The format a file name promises (`.jpeg` and `.jpg` alike, any case).
    pub fn from_name(name: &Path) -> Option<Format> {
        let ext = name.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "png" => Some(Format::Png),
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "gif" => Some(Format::Gif),
            "webp" => Some(Format::WebP),
            _ => None,
        }
    }

    fn image_format(self) -> image::ImageFormat {
        match self {
            Format::Png => image::ImageFormat::Png,
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::Gif => image::ImageFormat::Gif,
            Format::WebP => image::ImageFormat::WebP,
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A checked image, ready to embed: the bytes are a complete file of `format`.
#[derive(Clone, PartialEq, Eq)]
pub struct Picture {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// The file as stored, or the scaled copy.
    pub data: Vec<u8>,
    /// The source size when `data` is a scaled copy.
    pub scaled_from: Option<(u32, u32)>,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picture")
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("bytes", &self.data.len())
            .field("scaled_from", &self.scaled_from)
            .finish()
    }
}

/// Why an image cannot be used. Each message reads after "image 'path' ".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("cannot be read: {0}")]
    Read(String),
    #[error("is not an image (it has no PNG, JPEG, GIF or WebP signature)")]
    NotAnImage,
    #[error("is {0}; folio supports PNG, JPEG, GIF and WebP images")]
    Unsupported(&'static str),
    #[error("holds {actual} data but its name {}", match ext {
        Some(e) => format!("ends in .{e}"),
        None => format!("has no .{} extension", actual.extension()),
    })]
    Misnamed { actual: Format, ext: Option<String> },
    #[error("is a damaged {format} file ({message})")]
    Damaged { format: Format, message: String },
    #[error(
        "is {width}×{height} px, more than folio decodes ({} megapixels at most)",
        MAX_SOURCE_PIXELS / 1_000_000
    )]
    TooLarge { width: u32, height: u32 },
    #[error(
        "is {width}×{height} px, too large to decode in {} MiB of memory",
        DECODE_BUDGET >> 20
    )]
    OverBudget { width: u32, height: u32 },
    #[error(
        "is an interlaced PNG of {width}×{height} px; folio scales only non-interlaced PNGs above {MAX_SIDE} px"
    )]
    Interlaced { width: u32, height: u32 },
}

impl ImageError {
    /// What the author can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            ImageError::Read(_) => None,
            ImageError::NotAnImage | ImageError::Damaged { .. } => {
                Some("export the image again as PNG or JPEG".into())
            }
            ImageError::Unsupported(kind) if kind.contains("SVG") => Some(
                "export it as PNG (at least 2× the printed size); the PDF cannot embed SVG".into(),
            ),
            ImageError::Unsupported(_) => {
                Some("convert it to PNG (drawings, screenshots) or JPEG (photos)".into())
            }
            ImageError::Misnamed { actual, .. } => Some(format!(
                "rename the file to .{} (and the reference to it)",
                actual.extension()
            )),
            ImageError::TooLarge { .. }
            | ImageError::OverBudget { .. }
            | ImageError::Interlaced { .. } => Some(format!(
                "scale it to at most {MAX_SIDE} px on its longest side"
            )),
        }
    }
}

/// The size in pixels of the image file at `path`, read from its header (for layouts of documents
/// that did not go through `load`, which records every picture's size).
pub fn dimensions(path: &Path) -> Result<(u32, u32), ImageError> {
    image::image_dimensions(path).map_err(|e| ImageError::Read(e.to_string()))
}

/// Read and check the image file at `path` (for writers given a document that did not go through
/// `load`, such as hand-built test documents).
pub fn read(path: &Path) -> Result<Picture, ImageError> {
    let bytes = crate::files::read_bytes(path).map_err(|e| match e {
        crate::files::FileError::Read { source, .. } => ImageError::Read(source.to_string()),
        other => ImageError::Read(other.to_string()),
    })?;
    check(bytes, path)
}

/// Check an image file's bytes; `name` is its file name (the extension must match the contents).
/// Images larger than [`MAX_SIDE`] come back scaled, with [`Picture::scaled_from`] set.
pub fn check(bytes: Vec<u8>, name: &Path) -> Result<Picture, ImageError> {
    let format = sniff(&bytes)?;
    match Format::from_name(name) {
        Some(f) if f == format => {}
        _ => {
            return Err(ImageError::Misnamed {
                actual: format,
                ext: name.extension().map(|e| e.to_string_lossy().into_owned()),
            });
        }
    }
    let damaged = |e: image::ImageError| ImageError::Damaged {
        format,
        message: e.to_string(),
    };
    let (width, height) = reader(&bytes, format).into_dimensions().map_err(damaged)?;
    if u64::from(width) * u64::from(height) > MAX_SOURCE_PIXELS {
        return Err(ImageError::TooLarge { width, height });
    }
    if width <= MAX_SIDE && height <= MAX_SIDE {
        decode(&bytes, format, width, height)?;
        return Ok(Picture {
            format,
            width,
            height,
            data: bytes,
            scaled_from: None,
        });
    }
    let (w, h) = fit(width, height);
    let scaled = if format == Format::Png {
        shrink_png(&bytes, width, height, w, h)?
    } else {
        decode(&bytes, format, width, height)?.thumbnail_exact(w, h)
    };
    // Photos stay JPEG (PNG would be ten times larger); everything else becomes PNG.
    let (format, data) = if format == Format::Jpeg {
        (Format::Jpeg, encode_jpeg(&scaled)?)
    } else {
        (Format::Png, encode_png(&scaled)?)
    };
    Ok(Picture {
        format,
        width: w,
        height: h,
        data,
        scaled_from: Some((width, height)),
    })
}

/// The picture as PNG bytes (WebP is no EPUB core media type). Decoding stays within the budget.
pub fn to_png(p: &Picture) -> Result<Vec<u8>, ImageError> {
    if p.format == Format::Png {
        return Ok(p.data.clone());
    }
    encode_png(&decode(&p.data, p.format, p.width, p.height)?)
}

/// The format by the file's signature, or what it is when folio does not support it.
fn sniff(b: &[u8]) -> Result<Format, ImageError> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Format::Jpeg);
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Ok(Format::Gif);
    }
    if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Ok(Format::WebP);
    }
    let brand = b.get(4..12).unwrap_or_default();
    let kind = if b.starts_with(b"BM") {
        "a BMP file"
    } else if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        "a TIFF file"
    } else if b.starts_with(&[0, 0, 1, 0]) {
        "an ICO file"
    } else if b.starts_with(b"%PDF") {
        "a PDF file"
    } else if b.starts_with(b"8BPS") {
        "a Photoshop file"
    } else if b.starts_with(b"\0\0\0\x0cjP  ") || b.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) {
        "a JPEG 2000 file"
    } else if b.starts_with(&[0xFF, 0x0A]) || b.starts_with(b"\0\0\0\x0cJXL ") {
        "a JPEG XL file"
    } else if brand.starts_with(b"ftypavi") {
        "an AVIF file"
    } else if [b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypmsf1"]
        .iter()
        .any(|x| brand == &x[..])
    {
        "a HEIC file"
    } else if looks_like_svg(b) {
        "an SVG file"
    } else {
        return Err(ImageError::NotAnImage);
    };
    Err(ImageError::Unsupported(kind))
}

fn looks_like_svg(b: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&b[..b.len().min(4096)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with('<') && head.contains("<svg")
}

/// A reader for `format` under the decode budget.
fn reader(bytes: &[u8], format: Format) -> image::ImageReader<Cursor<&[u8]>> {
    let mut r = image::ImageReader::with_format(Cursor::new(bytes), format.image_format());
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(DECODE_BUDGET);
    r.limits(limits);
    r
}

/// Decode the whole image (the first frame of an animation) under the budget.
fn decode(
    bytes: &[u8],
    format: Format,
    width: u32,
    height: u32,
) -> Result<image::DynamicImage, ImageError> {
    reader(bytes, format).decode().map_err(|e| match e {
        image::ImageError::Limits(_) => ImageError::OverBudget { width, height },
        e => ImageError::Damaged {
            format,
            message: e.to_string(),
        },
    })
}

/// The size that fits `MAX_SIDE`, keeping the aspect ratio (never below 1 px).
fn fit(width: u32, height: u32) -> (u32, u32) {
    let long = width.max(height);
    let scale = |v: u32| {
        let s = (u64::from(v) * u64::from(MAX_SIDE) + u64::from(long) / 2) / u64::from(long);
        (s as u32).clamp(1, MAX_SIDE)
    };
    (scale(width), scale(height))
}

/// Scale a PNG to `w`×`h` while decoding it row by row: each source pixel is added to the target pixel
/// it falls in (a box filter), so memory is one source row, one row of sums and the result. Rows stay
/// packed (1, 2, 4 or 8 bits a sample, 16-bit ones stripped to 8): expanding every pixel of a
/// 400-megapixel line drawing first would cost more than the filter.
fn shrink_png(
    bytes: &[u8],
    width: u32,
    height: u32,
    w: u32,
    h: u32,
) -> Result<image::DynamicImage, ImageError> {
    let damaged = |e: png::DecodingError| ImageError::Damaged {
        format: Format::Png,
        message: e.to_string(),
    };
    let mut decoder = png::Decoder::new_with_limits(
        Cursor::new(bytes),
        png::Limits {
            bytes: DECODE_BUDGET as usize,
        },
    );
    decoder.set_transformations(png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(damaged)?;
    if reader.info().interlaced {
        return Err(ImageError::Interlaced { width, height });
    }
    let (color, depth) = reader.output_color_type();
    let bits = depth as usize;
    // Palette images become RGB (RGBA with a tRNS chunk); others keep their channels.
    let palette: Option<Vec<[u8; 4]>> = (color == png::ColorType::Indexed).then(|| {
        let info = reader.info();
        let rgb = info.palette.as_deref().unwrap_or_default();
        let alpha = info.trns.as_deref().unwrap_or_default();
        (0..256)
            .map(|i| {
                let c = |k: usize| rgb.get(i * 3 + k).copied().unwrap_or(0);
                [c(0), c(1), c(2), alpha.get(i).copied().unwrap_or(255)]
            })
            .collect()
    });
    let has_alpha = reader.info().trns.is_some();
    let channels = match (&palette, color.samples()) {
        (Some(_), _) if has_alpha => 4,
        (Some(_), _) => 3,
        (None, n) => n,
    };
    let (sw, sh, w, h) = (width as usize, height as usize, w as usize, h as usize);
    // Target column of each source column, and how many source columns each target column gets.
    let column: Vec<usize> = (0..sw).map(|x| x * w / sw).collect();
    let mut per_column = vec![0u64; w];
    for &c in &column {
        per_column[c] += 1;
    }
    // The first source column of each target column (and `sw` after the last).
    let mut first_of = vec![sw; w + 1];
    for (x, &c) in column.iter().enumerate().rev() {
        first_of[c] = x;
    }
    // Sub-byte greyscale: the sum of the pixel values packed in a byte (scaled to 0–255 each), and for
    // each byte of a row the target columns its pixels fall in, with the mask of those pixels' bits.
    let max = (1u64 << bits.min(8)) - 1;
    let byte_sum: Vec<u64> = (0..256u64)
        .map(|b| {
            (0..8 / bits.clamp(1, 8))
                .map(|k| (b >> (8 - bits * (k + 1))) & max)
                .sum::<u64>()
                * 255
                / max
        })
        .collect();
    let per_byte = 8 / bits.clamp(1, 8);
    let mut segments: Vec<(usize, usize)> = Vec::new();
    let mut segment_at = vec![0usize];
    if palette.is_none() && bits < 8 {
        for x0 in (0..sw).step_by(per_byte) {
            let x1 = (x0 + per_byte).min(sw);
            let mut x = x0;
            while x < x1 {
                let c = column[x];
                let end = x1.min(first_of[c + 1]);
                let keep = ((1usize << (bits * (end - x))) - 1) << (8 - bits * (end - x0));
                segments.push((c, keep));
                x = end;
            }
            segment_at.push(segments.len());
        }
    }
    // The sums of one source row per target column; identical rows (blank margins and gaps in scans
    // and drawings) reuse it, weighted by how many there are.
    let add_row = |data: &[u8], row: &mut [u64]| {
        row.fill(0);
        if bits == 8 && palette.is_none() {
            for x in 0..sw.min(data.len() / channels) {
                let t = column[x] * channels;
                for c in 0..channels {
                    row[t + c] += u64::from(data[x * channels + c]);
                }
            }
            return;
        }
        // Packed samples (1, 2 or 4 bits), or 8-bit palette indices.
        for (i, &byte) in data.iter().enumerate() {
            let x0 = i * per_byte;
            if x0 >= sw {
                break;
            }
            match &palette {
                Some(p) => {
                    let end = (x0 + per_byte).min(sw);
                    for (k, &target) in column[x0..end].iter().enumerate() {
                        let v = (u64::from(byte) >> (8 - bits * (k + 1))) & max;
                        let (t, px) = (target * channels, p[v as usize]);
                        for c in 0..channels {
                            row[t + c] += u64::from(px[c]);
                        }
                    }
                }
                None => {
                    let mut k = segment_at[i];
                    while k < segment_at[i + 1] {
                        let (c, keep) = segments[k];
                        row[c] += byte_sum[usize::from(byte) & keep];
                        k += 1;
                    }
                }
            }
        }
    };
    let mut sums = vec![0u64; w * channels];
    let mut row_sums = vec![0u64; w * channels];
    let mut previous: Vec<u8> = Vec::new();
    let mut have_previous = false;
    // Rows of `previous` not yet added to `sums`, and rows in the current target row.
    let (mut pending, mut rows_in_box) = (0u64, 0u64);
    let add_pending = |pending: &mut u64, sums: &mut [u64], row_sums: &[u64]| {
        if *pending > 0 {
            for (s, r) in sums.iter_mut().zip(row_sums) {
                *s += r * *pending;
            }
        }
        *pending = 0;
    };
    let mut out = vec![0u8; w * h * channels];
    let flush = |row: usize, rows: u64, sums: &mut [u64], out: &mut [u8]| {
        let dst = &mut out[row * w * channels..(row + 1) * w * channels];
        for (x, &cols) in per_column.iter().enumerate() {
            let n = (cols * rows).max(1);
            for c in 0..channels {
                let i = x * channels + c;
                dst[i] = ((sums[i] + n / 2) / n).min(255) as u8;
                sums[i] = 0;
            }
        }
    };
    let mut target_row = 0;
    let mut y = 0usize;
    while let Some(row) = reader.next_row().map_err(damaged)? {
        let ty = y * h / sh;
        if ty != target_row {
            add_pending(&mut pending, &mut sums, &row_sums);
            flush(target_row, rows_in_box, &mut sums, &mut out);
            target_row = ty;
            rows_in_box = 0;
        }
        let data = row.data();
        if !have_previous || previous != data {
            add_pending(&mut pending, &mut sums, &row_sums);
            add_row(data, &mut row_sums);
            previous.clear();
            previous.extend_from_slice(data);
            have_previous = true;
        }
        pending += 1;
        rows_in_box += 1;
        y += 1;
    }
    if y != sh {
        return Err(ImageError::Damaged {
            format: Format::Png,
            message: format!("{y} of {height} rows"),
        });
    }
    add_pending(&mut pending, &mut sums, &row_sums);
    flush(target_row, rows_in_box, &mut sums, &mut out);
    let (w, h) = (w as u32, h as u32);
    let image = match channels {
        1 => image::GrayImage::from_raw(w, h, out).map(image::DynamicImage::ImageLuma8),
        2 => image::GrayAlphaImage::from_raw(w, h, out).map(image::DynamicImage::ImageLumaA8),
        3 => image::RgbImage::from_raw(w, h, out).map(image::DynamicImage::ImageRgb8),
        _ => image::RgbaImage::from_raw(w, h, out).map(image::DynamicImage::ImageRgba8),
    };
    image.ok_or_else(|| ImageError::Damaged {
        format: Format::Png,
        message: "unexpected pixel layout".into(),
    })
}

fn encode_png(img: &image::DynamicImage) -> Result<Vec<u8>, ImageError> {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    let encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive);
    img.write_with_encoder(encoder)
        .map_err(|e| ImageError::Read(format!("cannot encode the scaled copy: {e}")))?;
    Ok(out)
}

fn encode_jpeg(img: &image::DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88);
    img.to_rgb8()
        .write_with_encoder(encoder)
        .map_err(|e| ImageError::Read(format!("cannot encode the scaled copy: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::GrayImage::from_fn(w, h, |x, y| image::Luma([((x + y) % 256) as u8]))
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn small_images_pass_unchanged() {
        let bytes = png(40, 30);
        let p = check(bytes.clone(), Path::new("a.PNG")).unwrap();
        assert_eq!((p.format, p.width, p.height), (Format::Png, 40, 30));
        assert_eq!(p.data, bytes);
        assert_eq!(p.scaled_from, None);
    }

    #[test]
    fn formats_are_told_by_their_bytes() {
        assert_eq!(
            sniff(b"BM\x00\x00"),
            Err(ImageError::Unsupported("a BMP file"))
        );
        assert_eq!(
            sniff(b"II*\0...."),
            Err(ImageError::Unsupported("a TIFF file"))
        );
        assert_eq!(
            sniff(b"\xef\xbb\xbf  <?xml version=\"1.0\"?>\n<svg xmlns=\"\"/>"),
            Err(ImageError::Unsupported("an SVG file"))
        );
        assert_eq!(
            sniff(b"\0\0\0\x18ftypheic\0\0\0\0"),
            Err(ImageError::Unsupported("a HEIC file"))
        );
        assert_eq!(sniff(b"hello"), Err(ImageError::NotAnImage));
        assert_eq!(sniff(b""), Err(ImageError::NotAnImage));
        assert_eq!(
            check(png(2, 2), Path::new("a.jpg")),
            Err(ImageError::Misnamed {
                actual: Format::Png,
                ext: Some("jpg".into())
            })
        );
        assert_eq!(
            check(png(2, 2), Path::new("images/figure"))
                .unwrap_err()
                .to_string(),
            "holds PNG data but its name has no .png extension"
        );
    }

    #[test]
    fn a_cut_off_file_is_damaged() {
        let bytes = png(300, 200);
        let cut = bytes[..bytes.len() / 2].to_vec();
        assert!(matches!(
            check(cut, Path::new("a.png")),
            Err(ImageError::Damaged {
                format: Format::Png,
                ..
            })
        ));
    }

    #[test]
    fn large_images_are_scaled_by_a_box_filter() {
        // 6000 × 10: a horizontal ramp; the copy is 3000 × 5 and keeps the ramp's average values.
        let mut bytes = Vec::new();
        image::GrayImage::from_fn(6000, 10, |x, _| image::Luma([(x % 2 * 200) as u8]))
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        let p = check(bytes, Path::new("wide.png")).unwrap();
        assert_eq!(
            (p.width, p.height, p.scaled_from),
            (3000, 5, Some((6000, 10)))
        );
        let img = image::load_from_memory(&p.data).unwrap().to_luma8();
        assert!(
            img.pixels().all(|px| px.0[0] == 100),
            "pairs 0 and 200 average to 100"
        );
        assert_eq!(fit(20_000, 20_000), (3000, 3000));
        assert_eq!(fit(100_000, 2), (3000, 1));
        assert_eq!(fit(3001, 1500), (3000, 1500));
    }

    /// The box filter by the book: every source pixel (decoded by `image`) averaged into its target.
    fn reference(img: &image::DynamicImage, w: u32, h: u32) -> Vec<u8> {
        let (sw, sh) = (img.width() as usize, img.height() as usize);
        let channels = img.color().channel_count() as usize;
        let bytes = img.as_bytes();
        let (w, h) = (w as usize, h as usize);
        let mut sums = vec![0u64; w * h * channels];
        let mut counts = vec![0u64; w * h];
        for y in 0..sh {
            for x in 0..sw {
                let t = (y * h / sh) * w + x * w / sw;
                counts[t] += 1;
                for c in 0..channels {
                    sums[t * channels + c] += u64::from(bytes[(y * sw + x) * channels + c]);
                }
            }
        }
        sums.iter()
            .enumerate()
            .map(|(i, s)| {
                let n = counts[i / channels];
                ((s + n / 2) / n) as u8
            })
            .collect()
    }

    fn encode(w: u32, h: u32, color: png::ColorType, depth: png::BitDepth, seed: u32) -> Vec<u8> {
        let samples = color.samples() * depth as usize;
        let stride = (w as usize * samples).div_ceil(8);
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(color);
        enc.set_depth(depth);
        if color == png::ColorType::Indexed {
            enc.set_palette(
                (0..256 * 3)
                    .map(|i| (i * 37 % 256) as u8)
                    .collect::<Vec<_>>(),
            );
            enc.set_trns((0..256).map(|i| (255 - i) as u8).collect::<Vec<_>>());
        }
        let mut data = vec![0u8; stride * h as usize];
        let mut state = seed;
        for (i, b) in data.iter_mut().enumerate() {
            // Runs of repeated rows (the shortcut) between varied ones.
            if (i / stride) % 5 < 2 && i >= stride {
                *b = 0;
                continue;
            }
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            *b = (state >> 16) as u8;
        }
        for y in (1..h as usize).filter(|y| y % 5 < 2) {
            let (prev, row) = data.split_at_mut(y * stride);
            row[..stride].copy_from_slice(&prev[(y - 1) * stride..]);
        }
        enc.write_header().unwrap().write_image_data(&data).unwrap();
        out
    }

    #[test]
    fn streamed_scaling_matches_the_box_filter_in_every_pixel_layout() {
        use png::{BitDepth as D, ColorType as C};
        for (color, depth) in [
            (C::Grayscale, D::One),
            (C::Grayscale, D::Two),
            (C::Grayscale, D::Four),
            (C::Grayscale, D::Eight),
            (C::Grayscale, D::Sixteen),
            (C::GrayscaleAlpha, D::Eight),
            (C::Rgb, D::Eight),
            (C::Rgb, D::Sixteen),
            (C::Rgba, D::Eight),
            (C::Indexed, D::Two),
            (C::Indexed, D::Eight),
        ] {
            let (sw, sh) = (3301, 23);
            let bytes = encode(sw, sh, color, depth, sw + depth as u32);
            let (w, h) = fit(sw, sh);
            let ours = shrink_png(&bytes, sw, sh, w, h).unwrap();
            // `image` expands palettes to RGBA and 16 bits to 16; bring both to 8 bits a sample.
            let decoded = image::load_from_memory(&bytes).unwrap();
            let decoded = match ours.color().channel_count() {
                1 => image::DynamicImage::ImageLuma8(decoded.to_luma8()),
                2 => image::DynamicImage::ImageLumaA8(decoded.to_luma_alpha8()),
                3 => image::DynamicImage::ImageRgb8(decoded.to_rgb8()),
                _ => image::DynamicImage::ImageRgba8(decoded.to_rgba8()),
            };
            let want = reference(&decoded, w, h);
            let got = ours.as_bytes();
            let worst = want.iter().zip(got).map(|(a, b)| a.abs_diff(*b)).max();
            // 16-bit samples: `image` rounds to 8 bits, the decoder truncates: at most 1 apart.
            assert!(worst <= Some(1), "{color:?} {depth:?}: off by {worst:?}");
        }
    }

    #[test]
    fn decompression_bombs_are_refused_before_decoding() {
        // A header claiming 65 535 × 65 535 pixels: refused by size, the data is never read.
        let mut bytes = png(1, 1);
        bytes[16..24].copy_from_slice(&[0, 0, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF]);
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(
            check(bytes, Path::new("bomb.png")),
            Err(ImageError::TooLarge {
                width: 65535,
                height: 65535
            })
        );
    }

    #[test]
    fn interlaced_pngs_above_the_limit_are_refused() {
        let mut bytes = png(1, 1);
        // IHDR: width, height, then bit depth, colour type, compression, filter, interlace.
        bytes[16..24].copy_from_slice(&[0, 0, 0x0F, 0xA0, 0, 0, 0, 1]);
        bytes[28] = 1;
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        assert_eq!(
            check(bytes, Path::new("i.png")),
            Err(ImageError::Interlaced {
                width: 4000,
                height: 1
            })
        );
    }

    /// CRC-32 of a PNG chunk's type and data.
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
