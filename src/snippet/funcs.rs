//! Snippet built-in functions: name → [`Func`], arity, and the pure implementations over text
//! arguments; date/time arithmetic on the simulated clock.
//!
//! The list follows CXone's "Built-In Functions" help page
//! (help.nicecxone.com/Content/studio/guide/functionsbuiltin.htm): every function can be called
//! as `f(x, a)` or as a method `x.f(a)` (the receiver is the first argument). Calls that reach a
//! CXone service ([`is_external`]) are not built-ins: they yield unknown values.

use super::eval::parse_number;

/// Seconds from 1970-01-01 to the simulated epoch 2026-01-05 09:00:00 (a Monday, UTC). The
/// simulated clock is this epoch plus the contact's arrival time (see `Vars::set_clock_ms`).
pub const SIM_EPOCH_SECS: i64 = 1_767_603_600;

/// Calls that reach CXone services or formats recflow does not model: their result is unknown.
pub const EXTERNAL: &[&str] = &[
    "getrestproxy",
    "makerestrequest",
    "savetodb",
    "getsoapproxy",
    "makesoaprequest",
    "parsexml",
    "asxml",
    "xmlparse",
    "getdata",
    "setdata",
    "sendemail",
];

/// True for a function name that reaches a CXone service (result unknown).
pub fn is_external(lower_name: &str) -> bool {
    EXTERNAL.contains(&lower_name)
}

macro_rules! funcs {
    ($( $v:ident [$($n:literal),+] ($lo:literal, $hi:literal) $usage:literal ;)*) => {
        /// Built-in functions (see docs/snippet.md).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Func { $($v,)* }

        const TABLE: &[(&str, Func)] = &[$($(($n, Func::$v),)+)*];

        impl Func {
            /// Allowed argument counts, receiver included.
            pub fn arity(self) -> (usize, usize) {
                match self { $(Func::$v => ($lo, $hi),)* }
            }

            /// How to call it (for error messages and docs).
            pub fn usage(self) -> &'static str {
                match self { $(Func::$v => $usage,)* }
            }

            /// The name as documented.
            pub fn name(self) -> &'static str {
                match self { $(Func::$v => [$($n),+][0],)* }
            }
        }
    };
}

funcs! {
    Length ["length", "len"] (1, 1) "x.length()";
    Upper ["upper", "ucase", "toupper"] (1, 1) "x.upper()";
    Lower ["lower", "lcase", "tolower"] (1, 1) "x.lower()";
    Trim ["trim"] (1, 1) "x.trim()";
    LTrim ["ltrim", "trimstart"] (1, 1) "x.ltrim()";
    RTrim ["rtrim", "trimend"] (1, 1) "x.rtrim()";
    Left ["left"] (2, 2) "left(x, n) or x.left(n)";
    Right ["right"] (2, 2) "right(x, n) or x.right(n)";
    Mid ["mid"] (2, 3) "mid(x, start, length) or x.mid(start, length)";
    Substr ["substr", "substring"] (2, 3) "x.substr(start) or x.substr(start, length)";
    IndexOf ["indexof", "instr"] (2, 2) "x.indexof(text)";
    Contains ["contains"] (2, 2) "x.contains(text)";
    StartsWith ["startswith"] (2, 2) "x.startswith(text)";
    EndsWith ["endswith"] (2, 2) "x.endswith(text)";
    Replace ["replace"] (3, 3) "x.replace(old, new)";
    Count ["count"] (1, 1) "x.count()";
    Split ["split"] (2, 2) "x.split(delimiter)";
    PadLeft ["padleft"] (2, 3) "x.padleft(width) or x.padleft(width, char)";
    PadRight ["padright"] (2, 3) "x.padright(width) or x.padright(width, char)";
    IsNumeric ["isnumeric"] (1, 1) "x.isnumeric()";
    IsDate ["isdate"] (1, 1) "x.isdate()";
    Format ["format"] (2, 2) "x.format(\"0.00\")";
    Abs ["abs"] (1, 1) "abs(x)";
    Ceiling ["ceiling", "ceil"] (1, 1) "ceiling(x)";
    Floor ["floor"] (1, 1) "floor(x)";
    Round ["round"] (1, 2) "round(x) or round(x, digits)";
    Random ["random"] (1, 1) "random(n)";
    Max ["max"] (2, 2) "max(a, b)";
    Min ["min"] (2, 2) "min(a, b)";
    AsJson ["asjson"] (1, 1) "x.asjson()";
    ParseJson ["parsejson"] (1, 1) "obj = parsejson(text)";
    Now ["now"] (0, 0) "now()";
    AsDate ["asdate"] (1, 1) "x.asdate()";
    AsDateTime ["asdatetime"] (1, 2) "x.asdatetime() or x.asdatetime(\"yyyy-MM-dd HH:mm\")";
    AsTime ["astime"] (1, 1) "x.astime()";
    AsIsoDateTime ["asisodatetime"] (1, 1) "x.asisodatetime()";
    AsUtc ["asutc", "asgmt"] (1, 1) "x.asutc()";
    DateAdd ["dateadd"] (3, 3) "dateadd(\"day\", date, n)";
    DateDiff ["datediff"] (3, 3) "datediff(\"day\", date1, date2)";
    DatePart ["datepart"] (2, 2) "datepart(\"month\", date)";
    DateBuild ["datebuild"] (3, 3) "datebuild(year, month, day)";
    DateTimeBuild ["datetimebuild"] (6, 6) "datetimebuild(year, month, day, hour, minute, second)";
    Dow ["dow", "asdatedow"] (1, 1) "x.dow()";
}

impl Func {
    pub fn lookup(name: &str) -> Option<Func> {
        TABLE.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|&(_, f)| f)
    }

    /// Every documented name (for did-you-mean).
    pub fn all_names() -> impl Iterator<Item = &'static str> {
        TABLE.iter().map(|(n, _)| *n).chain(EXTERNAL.iter().copied())
    }
}

/// The closest known function name to `name` (built-ins, external services, the snippet's own
/// FUNCTIONs), for "did you mean" — the project's one suggester ([`crate::source::did_you_mean`]).
pub fn did_you_mean(name: &str, user: &[String]) -> Option<String> {
    let mut cands: Vec<&str> = Func::all_names().collect();
    cands.extend(user.iter().map(String::as_str));
    crate::source::did_you_mean(name, cands).map(str::to_string)
}

/// Result of a built-in.
pub(crate) enum Out {
    Num(f64),
    /// Written into the output buffer.
    Text,
    Unknown,
}

/// What a built-in may read besides its arguments.
pub(crate) struct Env<'a> {
    pub clock_secs: i64,
    pub seed: u64,
    pub draws: &'a mut u64,
}

fn num(s: &str, what: &str) -> Result<f64, String> {
    parse_number(s.trim()).ok_or_else(|| format!("{what}: \"{}\" is not a number", short(s)))
}

fn short(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

fn whole(s: &str, what: &str) -> Result<i64, String> {
    let x = num(s, what)?;
    if x.abs() > 1e15 {
        return Err(format!("{what}: {} is out of range", short(s)));
    }
    Ok(x.trunc() as i64)
}

/// Byte offset of the `n`-th character (0-based), clamped to the end.
fn char_byte(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// Apply `f` to text arguments. Text results are appended to `out` (empty on entry).
pub(crate) fn apply(f: Func, a: &[&str], out: &mut String, env: &mut Env<'_>) -> Result<Out, String> {
    let s = a.first().copied().unwrap_or("");
    Ok(match f {
        Func::Length => Out::Num(s.chars().count() as f64),
        Func::Count => Out::Num(super::eval::element_count(s) as f64),
        Func::IsNumeric => Out::Num(f64::from(u8::from(parse_number(s.trim()).is_some()))),
        Func::IsDate => Out::Num(f64::from(u8::from(parse_date(s).is_some()))),
        Func::Upper => {
            out.extend(s.chars().flat_map(char::to_uppercase));
            Out::Text
        }
        Func::Lower => {
            out.extend(s.chars().flat_map(char::to_lowercase));
            Out::Text
        }
        Func::Trim => {
            out.push_str(s.trim());
            Out::Text
        }
        Func::LTrim => {
            out.push_str(s.trim_start());
            Out::Text
        }
        Func::RTrim => {
            out.push_str(s.trim_end());
            Out::Text
        }
        Func::Left => {
            let n = whole(a[1], "left length")?.max(0) as usize;
            out.push_str(&s[..char_byte(s, n)]);
            Out::Text
        }
        Func::Right => {
            let n = whole(a[1], "right length")?.max(0) as usize;
            let len = s.chars().count();
            out.push_str(&s[char_byte(s, len.saturating_sub(n))..]);
            Out::Text
        }
        Func::Mid | Func::Substr => {
            // 1-based start in characters; positions before 1 are clipped.
            let start = whole(a[1], "start position")?;
            let len = match a.get(2) {
                Some(l) => whole(l, "length")?.max(0),
                None => i64::MAX / 4,
            };
            let first = start.max(1);
            let last = start.saturating_add(len).max(first);
            let (b0, b1) =
                (char_byte(s, (first - 1) as usize), char_byte(s, (last - 1).min(1 << 40) as usize));
            out.push_str(&s[b0..b1.max(b0)]);
            Out::Text
        }
        Func::IndexOf => Out::Num(match s.find(a[1]) {
            Some(i) => s[..i].chars().count() as f64 + 1.0,
            None => 0.0,
        }),
        Func::Contains => Out::Num(f64::from(u8::from(s.contains(a[1])))),
        Func::StartsWith => Out::Num(f64::from(u8::from(s.starts_with(a[1])))),
        Func::EndsWith => Out::Num(f64::from(u8::from(s.ends_with(a[1])))),
        Func::Replace => {
            if a[1].is_empty() {
                out.push_str(s);
            } else {
                let mut rest = s;
                while let Some(i) = rest.find(a[1]) {
                    out.push_str(&rest[..i]);
                    out.push_str(a[2]);
                    rest = &rest[i + a[1].len()..];
                    if out.len() > super::MAX_VALUE_LEN {
                        break;
                    }
                }
                out.push_str(rest);
            }
            Out::Text
        }
        Func::Split => {
            if a[1].is_empty() {
                out.push_str(s);
            } else {
                for (k, part) in s.split(a[1]).enumerate() {
                    if k > 0 {
                        out.push('|');
                    }
                    out.push_str(part);
                    if out.len() > super::MAX_VALUE_LEN {
                        break;
                    }
                }
            }
            Out::Text
        }
        Func::PadLeft | Func::PadRight => {
            let width = whole(a[1], "pad width")?.clamp(0, super::MAX_VALUE_LEN as i64 + 1) as usize;
            let c = a.get(2).and_then(|c| c.chars().next()).unwrap_or(' ');
            let n = width.saturating_sub(s.chars().count());
            if f == Func::PadRight {
                out.push_str(s);
            }
            out.extend(std::iter::repeat_n(c, n));
            if f == Func::PadLeft {
                out.push_str(s);
            }
            Out::Text
        }
        Func::Format => {
            format_pattern(num(s, "format")?, a[1], out);
            Out::Text
        }
        Func::Abs => Out::Num(num(s, "abs")?.abs()),
        Func::Ceiling => Out::Num(num(s, "ceiling")?.ceil()),
        Func::Floor => Out::Num(num(s, "floor")?.floor()),
        Func::Round => {
            let x = num(s, "round")?;
            let d = match a.get(1) {
                Some(d) => whole(d, "round digits")?.clamp(0, 15) as i32,
                None => 0,
            };
            let m = 10f64.powi(d);
            // Half away from zero.
            Out::Num((x * m).round() / m)
        }
        Func::Random => {
            let n = whole(s, "random")?;
            if n <= 0 {
                return Err(format!("random needs a positive whole number, got \"{}\"", short(s)));
            }
            *env.draws += 1;
            let r = splitmix(env.seed ^ env.draws.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            Out::Num((r % n as u64) as f64)
        }
        Func::Max | Func::Min => {
            let (x, y) = (num(s, f.name())?, num(a[1], f.name())?);
            Out::Num(if (f == Func::Max) == (x >= y) { x } else { y })
        }
        Func::AsJson => {
            json_string(s, out);
            Out::Text
        }
        Func::ParseJson => Out::Unknown,
        Func::Now => {
            write_datetime(env.clock_secs, out);
            Out::Text
        }
        Func::AsDate | Func::AsDateTime | Func::AsTime | Func::AsIsoDateTime | Func::AsUtc | Func::Dow => {
            let t = parse_date(s).ok_or_else(|| format!("{}: \"{}\" is not a date", f.name(), short(s)))?;
            match f {
                Func::AsDate => write_fmt(t, "yyyy-MM-dd", out),
                Func::AsTime => write_fmt(t, "HH:mm:ss", out),
                Func::AsIsoDateTime => write_fmt(t, "yyyy-MM-ddTHH:mm:ss.000Z", out),
                Func::Dow => return Ok(Out::Num(((t.div_euclid(86_400) + 4).rem_euclid(7)) as f64)),
                Func::AsDateTime if a.len() > 1 => write_fmt(t, a[1], out),
                _ => write_datetime(t, out),
            }
            Out::Text
        }
        Func::DateAdd => {
            let (unit, rest) = split_unit(a, f)?;
            let (date, n) = match (parse_date(rest[0]), parse_date(rest[1])) {
                (Some(d), _) if parse_number(rest[0].trim()).is_none() => (d, rest[1]),
                (_, Some(d)) => (d, rest[0]),
                _ => {
                    return Err(format!(
                        "dateadd: no date among \"{}\", \"{}\"",
                        short(rest[0]),
                        short(rest[1])
                    ));
                }
            };
            let n = whole(n, "dateadd amount")?;
            write_datetime(add_units(date, unit, n)?, out);
            Out::Text
        }
        Func::DateDiff => {
            let (unit, rest) = split_unit(a, f)?;
            let d1 = parse_date(rest[0])
                .ok_or_else(|| format!("datediff: \"{}\" is not a date", short(rest[0])))?;
            let d2 = parse_date(rest[1])
                .ok_or_else(|| format!("datediff: \"{}\" is not a date", short(rest[1])))?;
            Out::Num(diff_units(d1, d2, unit) as f64)
        }
        Func::DatePart => {
            let (unit, rest) = split_unit(a, f)?;
            let d = parse_date(rest[0])
                .ok_or_else(|| format!("datepart: \"{}\" is not a date", short(rest[0])))?;
            let (y, m, day, h, mi, sec) = civil(d);
            Out::Num(match unit {
                Unit::Year => y as f64,
                Unit::Month => m as f64,
                Unit::Day => day as f64,
                Unit::Hour => h as f64,
                Unit::Minute => mi as f64,
                Unit::Second => sec as f64,
                Unit::Week => ((d.div_euclid(86_400) + 4).rem_euclid(7)) as f64,
            })
        }
        Func::DateBuild | Func::DateTimeBuild => {
            let mut v = [0i64; 6];
            for (k, x) in a.iter().enumerate() {
                v[k] = whole(x, "date part")?;
            }
            let t = build(v[0], v[1], v[2], v[3], v[4], v[5])
                .ok_or_else(|| format!("{}: not a valid date/time", f.name()))?;
            if f == Func::DateBuild {
                write_fmt(t, "yyyy-MM-dd", out)
            } else {
                write_datetime(t, out)
            }
            Out::Text
        }
    })
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A deterministic 0..n choice from a contact seed and a draw number.
pub(crate) fn choose(seed: u64, draw: u64, n: usize) -> usize {
    (splitmix(seed ^ draw.wrapping_mul(0xD1B5_4A32_D192_ED03)) % n.max(1) as u64) as usize
}

/// `.NET`-like numeric format: `0.00`, `#,##0.0`, `000`.
fn format_pattern(x: f64, pat: &str, out: &mut String) {
    let (int_pat, frac_pat) = pat.split_once('.').unwrap_or((pat, ""));
    let decimals = frac_pat.chars().filter(|c| *c == '0' || *c == '#').count().min(15);
    let min_int = int_pat.chars().filter(|c| *c == '0').count();
    let group = int_pat.contains(',');
    let text = format!("{:.*}", decimals, x.abs());
    let (ip, fp) = text.split_once('.').unwrap_or((&text, ""));
    if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    let ip = format!("{ip:0>min_int$}");
    let digits: Vec<char> = ip.chars().collect();
    for (k, c) in digits.iter().enumerate() {
        if group && k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    if decimals > 0 {
        out.push('.');
        out.push_str(fp);
    }
}

/// A JSON string literal.
pub(crate) fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Year,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
}

fn unit_of(s: &str) -> Option<Unit> {
    Some(match s.trim().to_ascii_lowercase().as_str() {
        "year" | "years" | "yyyy" | "yy" => Unit::Year,
        "month" | "months" | "mm" | "m" => Unit::Month,
        "week" | "weeks" | "wk" | "ww" => Unit::Week,
        "day" | "days" | "dd" | "d" => Unit::Day,
        "hour" | "hours" | "hh" | "h" => Unit::Hour,
        "minute" | "minutes" | "mi" | "n" => Unit::Minute,
        "second" | "seconds" | "ss" | "s" => Unit::Second,
        _ => return None,
    })
}

/// Find the unit among the arguments (any position); the other arguments in order.
fn split_unit<'a>(a: &[&'a str], f: Func) -> Result<(Unit, Vec<&'a str>), String> {
    let pos = a.iter().position(|x| unit_of(x).is_some()).ok_or_else(|| {
        format!("{}: no unit (year, month, week, day, hour, minute, second) among the arguments", f.name())
    })?;
    let unit = unit_of(a[pos]).unwrap_or(Unit::Day);
    let rest: Vec<&str> = a.iter().enumerate().filter(|(k, _)| *k != pos).map(|(_, x)| *x).collect();
    Ok((unit, rest))
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    days_from_civil(if m == 12 { y + 1 } else { y }, if m == 12 { 1 } else { m + 1 }, 1)
        - days_from_civil(y, m, 1)
}

/// Seconds since 1970 of a valid date-time (years 1..9999).
fn build(y: i64, m: i64, d: i64, h: i64, mi: i64, s: i64) -> Option<i64> {
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    if !(0..24).contains(&h) || !(0..60).contains(&mi) || !(0..60).contains(&s) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + h * 3600 + mi * 60 + s)
}

fn civil(t: i64) -> (i64, i64, i64, i64, i64, i64) {
    let (y, m, d) = civil_from_days(t.div_euclid(86_400));
    let r = t.rem_euclid(86_400);
    (y, m, d, r / 3600, r % 3600 / 60, r % 60)
}

/// Parse `yyyy-MM-dd[( |T)HH:mm[:ss[.fff]]][Z]` or `M/d/yyyy[ H:mm[:ss]][ AM|PM]`.
pub(crate) fn parse_date(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('Z');
    let (date, time) = match s.find([' ', 'T']) {
        Some(i) => (&s[..i], s[i + 1..].trim()),
        None => (s, ""),
    };
    let nums: Vec<&str> = date.split(['-', '/']).collect();
    if nums.len() != 3
        || nums.iter().any(|n| n.is_empty() || n.len() > 4 || !n.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<i64> = nums.iter().map(|x| x.parse().unwrap_or(0)).collect();
    let (y, m, d) = if date.contains('-') { (n[0], n[1], n[2]) } else { (n[2], n[0], n[1]) };
    let (mut h, mut mi, mut sec) = (0, 0, 0);
    if !time.is_empty() {
        let (clock, ampm) = match time.rsplit_once(' ') {
            Some((c, ap)) if ap.eq_ignore_ascii_case("am") || ap.eq_ignore_ascii_case("pm") => (c, Some(ap)),
            _ => (time, None),
        };
        let clock = clock.split('.').next().unwrap_or("");
        let parts: Vec<&str> = clock.split(':').collect();
        if parts.len() < 2
            || parts.len() > 3
            || parts.iter().any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        h = parts[0].parse().ok()?;
        mi = parts[1].parse().ok()?;
        sec = parts.get(2).map_or(Some(0), |p| p.parse().ok())?;
        if let Some(ap) = ampm {
            if !(1..=12).contains(&h) {
                return None;
            }
            h = h % 12 + if ap.eq_ignore_ascii_case("pm") { 12 } else { 0 };
        }
    }
    build(y, m, d, h, mi, sec)
}

fn write_datetime(t: i64, out: &mut String) {
    write_fmt(t, "yyyy-MM-dd HH:mm:ss", out)
}

/// Format with `yyyy yy MM M dd d HH H mm ss` (other characters verbatim).
fn write_fmt(t: i64, fmt: &str, out: &mut String) {
    use std::fmt::Write as _;
    let (y, m, d, h, mi, s) = civil(t);
    let b = fmt.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let run = b[i..].iter().take_while(|&&c| c == b[i]).count();
        let c = b[i];
        let _ = match (c, run) {
            (b'y', 4..) => write!(out, "{y:04}"),
            (b'y', _) => write!(out, "{:02}", y % 100),
            (b'M', 2..) => write!(out, "{m:02}"),
            (b'M', _) => write!(out, "{m}"),
            (b'd', 2..) => write!(out, "{d:02}"),
            (b'd', _) => write!(out, "{d}"),
            (b'H', 2..) => write!(out, "{h:02}"),
            (b'H', _) => write!(out, "{h}"),
            (b'm', 2..) => write!(out, "{mi:02}"),
            (b'm', _) => write!(out, "{mi}"),
            (b's', 2..) => write!(out, "{s:02}"),
            (b's', _) => write!(out, "{s}"),
            _ => {
                // Not a field: copy the run (whole characters).
                let end = i + run;
                let mut k = i;
                while k < end && !fmt.is_char_boundary(k) {
                    k += 1;
                }
                let mut e = end;
                while e < b.len() && !fmt.is_char_boundary(e) {
                    e += 1;
                }
                out.push_str(&fmt[k..e]);
                i = e;
                continue;
            }
        };
        i += run;
    }
}

fn add_units(t: i64, unit: Unit, n: i64) -> Result<i64, String> {
    let secs = |k: i64| n.checked_mul(k).and_then(|d| t.checked_add(d));
    let r = match unit {
        Unit::Second => secs(1),
        Unit::Minute => secs(60),
        Unit::Hour => secs(3600),
        Unit::Day => secs(86_400),
        Unit::Week => secs(604_800),
        Unit::Month | Unit::Year => {
            let (y, m, d, h, mi, s) = civil(t);
            let months = if unit == Unit::Year { n.checked_mul(12) } else { Some(n) };
            months.and_then(|k| {
                let total = (y * 12 + m - 1).checked_add(k)?;
                let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
                if !(1..=9999).contains(&ny) {
                    return None;
                }
                build(ny, nm, d.min(days_in_month(ny, nm)), h, mi, s)
            })
        }
    };
    r.filter(|x| {
        (build(1, 1, 1, 0, 0, 0).unwrap_or(0)..=build(9999, 12, 31, 23, 59, 59).unwrap_or(0)).contains(x)
    })
    .ok_or_else(|| "dateadd: the result is out of the date range".to_string())
}

fn diff_units(a: i64, b: i64, unit: Unit) -> i64 {
    let d = b - a;
    match unit {
        Unit::Second => d,
        Unit::Minute => d / 60,
        Unit::Hour => d / 3600,
        Unit::Day => d / 86_400,
        Unit::Week => d / 604_800,
        Unit::Month | Unit::Year => {
            let (y1, m1, ..) = civil(a);
            let (y2, m2, ..) = civil(b);
            let months = (y2 * 12 + m2) - (y1 * 12 + m1);
            if unit == Unit::Year { months / 12 } else { months }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        let t = parse_date("2024-02-29 13:05:09").unwrap();
        let mut s = String::new();
        write_datetime(t, &mut s);
        assert_eq!(s, "2024-02-29 13:05:09");
        assert_eq!(parse_date("2/29/2024 1:05 PM"), parse_date("2024-02-29 13:05"));
        assert_eq!(parse_date("2023-02-29"), None);
        let mut s = String::new();
        write_datetime(SIM_EPOCH_SECS, &mut s);
        assert_eq!(s, "2026-01-05 09:00:00");
        assert_eq!(
            add_units(parse_date("2024-01-31").unwrap(), Unit::Month, 1),
            Ok(parse_date("2024-02-29").unwrap())
        );
    }

    #[test]
    fn did_you_mean_finds_builtins() {
        assert_eq!(did_you_mean("lenght", &[]).as_deref(), Some("length"));
        assert_eq!(did_you_mean("zzzzzz", &[]), None);
    }
}
