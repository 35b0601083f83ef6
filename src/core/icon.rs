//! The toolbar icon, drawn: the feed symbol on a rounded square, as `public/make_icons.py`
//! draws the PNGs of the manifest, here in any colours. The "this page has a feed" icon
//! (`browser::content`) is drawn at run time, since `declarativeContent.SetIcon` takes
//! pixels (`ImageData`), not a file.

/// The feed symbol's orange, behind white: the icon on pages that offer a feed.
pub const FEED_ORANGE: [u8; 3] = [0xE8, 0x6A, 0x10];
pub const WHITE: [u8; 3] = [0xFF, 0xFF, 0xFF];

fn in_rounded_square(u: f64, v: f64, r: f64) -> bool {
    let dx = (r - u).max(0.0).max(u - (1.0 - r));
    let dy = (r - v).max(0.0).max(v - (1.0 - r));
    dx * dx + dy * dy <= r * r
}

fn in_feed_symbol(u: f64, v: f64) -> bool {
    // Origin at the lower left: a dot and two quarter rings.
    let (ox, oy) = (0.24, 0.76);
    let (dx, dy) = (u - ox, oy - v);
    if dx < -0.02 || dy < -0.02 {
        return false;
    }
    let d = dx.hypot(dy);
    if (u - (ox + 0.05)).hypot(v - (oy - 0.05)) <= 0.085 {
        return true;
    }
    (0.30..=0.42).contains(&d) || (0.52..=0.64).contains(&d)
}

/// An icon `size` pixels square, RGBA row by row (what `ImageData` holds), the symbol in
/// `fg` on `bg`, edges anti-aliased (4×4 samples a pixel).
pub fn rgba(size: u32, bg: [u8; 3], fg: [u8; 3]) -> Vec<u8> {
    const SS: u32 = 4;
    let mut out = Vec::with_capacity((size * size * 4) as usize);
    for y in 0..size {
        for x in 0..size {
            let (mut back, mut front) = (0u32, 0u32);
            for i in 0..SS {
                for j in 0..SS {
                    let u = (f64::from(x) + (f64::from(i) + 0.5) / f64::from(SS)) / f64::from(size);
                    let v = (f64::from(y) + (f64::from(j) + 0.5) / f64::from(SS)) / f64::from(size);
                    if !in_rounded_square(u, v, 0.2) {
                        continue;
                    }
                    if in_feed_symbol(u, v) {
                        front += 1;
                    } else {
                        back += 1;
                    }
                }
            }
            let covered = back + front;
            if covered == 0 {
                out.extend_from_slice(&[0, 0, 0, 0]);
                continue;
            }
            let t = f64::from(front) / f64::from(covered);
            for c in 0..3 {
                out.push((f64::from(bg[c]) * (1.0 - t) + f64::from(fg[c]) * t).round() as u8);
            }
            out.push((f64::from(covered) * 255.0 / f64::from(SS * SS)).round() as u8);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icon_has_its_corners_clear_and_its_symbol_drawn() {
        let px = rgba(16, FEED_ORANGE, WHITE);
        assert_eq!(px.len(), 16 * 16 * 4);
        assert_eq!(&px[..4], &[0, 0, 0, 0], "the corner is outside the rounded square");
        let at = |x: usize, y: usize| &px[(y * 16 + x) * 4..(y * 16 + x) * 4 + 4];
        assert_eq!(at(8, 14), &[FEED_ORANGE[0], FEED_ORANGE[1], FEED_ORANGE[2], 255], "background");
        // The dot of the symbol, near the lower left.
        assert_eq!(&at(4, 11)[..3], &WHITE);
    }
}
