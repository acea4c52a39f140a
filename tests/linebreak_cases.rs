//! Table-driven test of typography.md §9: reads `tests/cases/linebreak_cjk.txt` (its format is
//! documented at the top of that file), runs every case through
//! `folio::typeset::linebreak::break_paragraph` and reports ALL failures with their case ids.

use folio::typeset::linebreak::atoms::render;
use folio::typeset::linebreak::{
    Atom, AtomKind, Line, Options, Strictness, atoms_from_str, break_opportunities,
    break_paragraph, model_width,
};

/// Points per em in the test: not 1, so that pt/em mix-ups show.
const EM: f32 = 10.0;
const TOL: f32 = 0.01;

struct Case {
    id: String,
    opts: Options,
    input: String,
    expect: Vec<String>,
}

fn parse(text: &str) -> Result<Vec<Case>, String> {
    let mut cases = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(" | ").collect();
        let [id, opts, input, expect] = fields[..] else {
            return Err(format!(
                "line {}: expected 4 fields, got {}",
                n + 1,
                fields.len()
            ));
        };
        let mut o = Options {
            measure: f32::INFINITY,
            ..Options::default()
        };
        for opt in opts.split_whitespace().filter(|&x| x != "-") {
            match opt.split_once('=') {
                Some(("m", "inf")) => o.measure = f32::INFINITY,
                Some(("m", v)) => {
                    o.measure = v
                        .parse::<f32>()
                        .map_err(|e| format!("line {}: {e}", n + 1))?
                        * EM
                }
                Some(("indent", v)) => {
                    o.indent = v
                        .parse::<f32>()
                        .map_err(|e| format!("line {}: {e}", n + 1))?
                        * EM
                }
                None if opt == "hanging" => o.hanging = true,
                None if opt == "basic" => o.strictness = Strictness::Basic,
                None if opt == "strict" => o.strictness = Strictness::Strict,
                None if opt == "ragged" => o.justify = false,
                _ => return Err(format!("line {}: unknown option {opt}", n + 1)),
            }
        }
        cases.push(Case {
            id: id.trim().to_string(),
            opts: o,
            input: input.to_string(),
            expect: expect.split(" ; ").map(|e| e.trim().to_string()).collect(),
        });
    }
    Ok(cases)
}

fn line_no(key: &str, prefix: &str) -> Result<usize, String> {
    let rest = &key[prefix.len()..];
    if rest.is_empty() {
        Ok(1)
    } else {
        rest.parse().map_err(|_| format!("bad key {key}"))
    }
}

fn numbers(s: &str) -> Result<Vec<f32>, String> {
    s.split_whitespace()
        .map(|x| x.parse::<f32>().map_err(|_| format!("bad number {x}")))
        .collect()
}

fn get(lines: &[Line], n: usize) -> Result<&Line, String> {
    lines
        .get(n.wrapping_sub(1))
        .ok_or_else(|| format!("no line {n} (got {})", lines.len()))
}

fn check_expect(atoms: &[Atom], lines: &[Line], e: &str) -> Result<(), String> {
    let show = |l: &Line| render(atoms.get(l.atoms.clone()).unwrap_or(&[]));
    if let Some(want) = e.strip_prefix("lines:") {
        let want: Vec<&str> = want.split(" / ").map(str::trim).collect();
        let got: Vec<String> = lines.iter().map(show).collect();
        if got != want {
            return Err(format!(
                "lines: got {:?}, want {:?}",
                got.join(" / "),
                want.join(" / ")
            ));
        }
    } else if let Some(rest) = e.strip_prefix("ragged:") {
        for n in numbers(rest)? {
            if get(lines, n as usize)?.justified {
                return Err(format!("line {n} should be ragged"));
            }
        }
    } else if let Some(rest) = e.strip_prefix("hang:") {
        for n in numbers(rest)? {
            if !get(lines, n as usize)?.hanging {
                return Err(format!("line {n} should hang"));
            }
        }
    } else if let Some((key, val)) = e.split_once('=') {
        let key = key.trim();
        if key.starts_with('w') {
            let l = get(lines, line_no(key, "w")?)?;
            let want = numbers(val)?.first().copied().ok_or("no width")?;
            if (l.natural / EM - want).abs() > TOL {
                return Err(format!("{key}: got {}, want {want}", l.natural / EM));
            }
        } else if key.starts_with('x') {
            let l = get(lines, line_no(key, "x")?)?;
            let want = numbers(val)?;
            let got: Vec<f32> = l.x.iter().map(|x| x / EM).collect();
            if got.len() != want.len() || got.iter().zip(&want).any(|(g, w)| (g - w).abs() > TOL) {
                return Err(format!("{key}: got {got:?}, want {want:?}"));
            }
        } else {
            return Err(format!("unknown expectation {e}"));
        }
    } else {
        return Err(format!("unknown expectation {e}"));
    }
    Ok(())
}

/// `opp` cases: every ÷ must be a break opportunity, every × must not.
fn check_opp(input: &str, opts: &Options) -> Result<(), String> {
    let mut plain = String::new();
    let mut marks = Vec::new(); // (index of the following non-space char, allowed?)
    for c in input.chars() {
        match c {
            '÷' | '×' => marks.push((plain.chars().filter(|c| *c != ' ').count(), c == '÷')),
            _ => plain.push(c),
        }
    }
    let atoms = atoms_from_str(&plain, EM, model_width);
    let opp = break_opportunities(&atoms, opts);
    let chars: Vec<usize> = atoms
        .iter()
        .enumerate()
        .filter(|(_, a)| matches!(a.kind, AtomKind::Char(_)))
        .map(|(i, _)| i)
        .collect();
    for (k, allowed) in marks {
        let (Some(&at), Some(&before)) =
            (chars.get(k), k.checked_sub(1).and_then(|j| chars.get(j)))
        else {
            return Err(format!("marker at char {k} out of range"));
        };
        let here: Vec<bool> = (before + 1..=at).map(|p| opp[p]).collect();
        let ok = if allowed {
            here.iter().any(|&b| b)
        } else {
            here.iter().all(|&b| !b)
        };
        if !ok {
            let mark = if allowed { '÷' } else { '×' };
            return Err(format!(
                "{mark} before char {k} of {plain:?}: opportunities {here:?}"
            ));
        }
    }
    Ok(())
}

#[test]
fn typography_section_9() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/linebreak_cjk.txt");
    let text = std::fs::read_to_string(path).expect("read cases file");
    let cases = parse(&text).expect("parse cases file");
    let mut failures = Vec::new();
    let mut passed = std::collections::BTreeSet::new();
    let mut failed = std::collections::BTreeSet::new();
    for case in &cases {
        let number: u32 = case
            .id
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .unwrap_or(0);
        let mut errs = Vec::new();
        if case.expect == ["opp"] {
            if let Err(e) = check_opp(&case.input, &case.opts) {
                errs.push(e);
            }
        } else {
            let atoms = atoms_from_str(&case.input, EM, model_width);
            let lines = break_paragraph(&atoms, &case.opts);
            for e in &case.expect {
                if let Err(msg) = check_expect(&atoms, &lines, e) {
                    errs.push(msg);
                }
            }
        }
        if errs.is_empty() {
            passed.insert(number);
        } else {
            failed.insert(number);
            failures.push(format!(
                "case {} ({}): {}",
                case.id,
                case.input,
                errs.join("; ")
            ));
        }
    }
    for n in 1..=35 {
        if !passed.contains(&n) && !failed.contains(&n) {
            failures.push(format!("case {n}: missing from the cases file"));
        }
    }
    let ok = (1..=35)
        .filter(|n| passed.contains(n) && !failed.contains(n))
        .count();
    println!("§9: {ok}/35 cases pass");
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
