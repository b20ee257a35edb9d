// FEEL built-in functions (DMN 1.5 section 10.3.4). Every error (wrong argument count, wrong
// type, out-of-range value) yields null, as FEEL requires.
#include "rules/builtins.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rules/feel.h"

namespace waymark::rules {
namespace {

using K = Value::Kind;
using Args = std::vector<Value>;
namespace mp = boost::multiprecision;

Value Fn(std::vector<std::vector<std::string>> sigs, NativeFn fn, bool variadic = false) {
  return Value(MakeNativeFunction(std::move(sigs), std::move(fn), variadic));
}

// For parameters that take a single value: a singleton list stands for its item (DMN 1.5
// 10.3.2.9.4, e.g. `upper case(Employees[item = "Bob"])`).
Value FnU(std::vector<std::vector<std::string>> sigs, NativeFn fn) {
  return Fn(std::move(sigs), [fn = std::move(fn)](const std::vector<Value>& args) -> Value {
    std::vector<Value> a = args;
    for (auto& v : a)
      if (v.Is(Value::Kind::kList) && v.AsList().size() == 1) v = Value(v.AsList()[0]);
    return fn(a);
  });
}

bool IsNum(const Value& v) { return v.Is(K::kNumber); }
bool IsStr(const Value& v) { return v.Is(K::kString); }
bool Same(const Value& a, const Value& b) { return Equal(a, b).value_or(false); }

// Truncates toward zero (FEEL positions and scales given as 2.5 mean 2); nullopt when out of
// range.
std::optional<int64_t> TruncInt(const Value& v) {
  if (!IsNum(v)) return std::nullopt;
  const Decimal& d = v.AsNumber();
  if (d > Decimal(1e15) || d < Decimal(-1e15)) return std::nullopt;
  Decimal t = d < 0 ? Decimal(mp::ceil(d)) : Decimal(mp::floor(d));
  return t.convert_to<int64_t>();
}

// A list argument: a list as is, any other non-null value as a singleton list (FEEL's
// singleton list conversion); nullopt for null.
std::optional<List> ListArg(const Value& v) {
  if (v.IsNull()) return std::nullopt;
  if (v.Is(K::kList)) {  // a copy: counted, so a loop of copies of a long list stops
    if (!feel::Spend(v.AsList().size())) return std::nullopt;
    return v.AsList();
  }
  return List{v};
}

// The items of a variadic aggregate: one list argument, or the arguments themselves.
std::optional<List> VarItems(const Args& a) {
  if (a.empty()) return std::nullopt;
  if (a.size() == 1) return ListArg(a[0]);
  return a;
}

// ---- UTF-8 ------------------------------------------------------------------------------

std::u32string ToU32(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    int extra;
    if (c < 0x80) {
      cp = c, extra = 0;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1F, extra = 1;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0F, extra = 2;
    } else if ((c >> 3) == 30) {
      cp = c & 0x07, extra = 3;
    } else {
      cp = 0xFFFD, extra = 0;
    }
    ++i;
    for (int k = 0; k < extra && i < s.size(); ++k, ++i)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
    out += cp;
  }
  return out;
}

std::string ToUtf8(std::u32string_view s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

std::wstring ToW(std::string_view s) {
  std::u32string u = ToU32(s);
  return std::wstring(u.begin(), u.end());
}
std::string FromW(const std::wstring& w) {
  std::u32string u;
  for (wchar_t c : w) u += static_cast<char32_t>(c);
  return ToUtf8(u);
}

// Simple case mapping: ASCII, Latin-1, Greek and Cyrillic.
char32_t Upper(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if ((c >= 0xE0 && c <= 0xFE && c != 0xF7)) return c - 32;
  if (c == 0xFF) return 0x178;
  if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) return c - 32;
  if (c >= 0x430 && c <= 0x44F) return c - 32;
  if (c >= 0x450 && c <= 0x45F) return c - 80;
  if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
      c != 0x178 && c != 0x17F) {
    bool oddLower = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (oddLower ? (c % 2 == 0) : (c % 2 == 1)) return c - 1;
  }
  return c;
}
char32_t Lower(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
  if (c == 0x178) return 0xFF;
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
      c != 0x178 && c != 0x17F) {
    bool oddLower = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (oddLower ? (c % 2 == 1) : (c % 2 == 0)) return c + 1;
  }
  return c;
}

// Characters whose case-insensitive match differs from simple ASCII folding.
char32_t FoldCase(char32_t c) {
  switch (c) {
    case 0x212A:
      return U'k';  // KELVIN SIGN
    case 0x212B:
      return 0xE5;  // ANGSTROM SIGN
    case 0x17F:
      return U's';  // LATIN SMALL LETTER LONG S
    default:
      return Lower(c);
  }
}

// ---- XPath regular expressions -> ECMAScript ------------------------------------------

// A compiled pattern. RE2 runs every pattern it can in time linear in the input, so no
// pattern from a model can hang a decision. The two XPath features RE2 lacks, back-references
// and class subtraction (translated to a look-ahead), need a backtracking matcher: those run
// on std::wregex, and only on inputs and patterns small enough to bound (BoundedBacktracking).
struct Regex {
  std::unique_ptr<re2::RE2> fast;
  std::wregex re;        // only when !fast
  bool refused = false;  // a backtracking pattern too large to bound: never run
  size_t groups = 0;
};

// Ranges (without brackets) for the \p{..} names we know; nullopt for unknown names.
std::optional<std::wstring> PropertyClass(const std::wstring& name) {
  static const std::map<std::wstring, std::wstring> kProps = {
      {L"IsBasicLatin", L"\\x00-\\x7F"},
      {L"IsLatin-1Supplement", L"\\x80-\\xFF"},
      {L"IsLatinExtended-A", L"\\u0100-\\u017F"},
      {L"IsGreek", L"\\u0370-\\u03FF"},
      {L"IsGreekandCoptic", L"\\u0370-\\u03FF"},
      {L"IsCyrillic", L"\\u0400-\\u04FF"},
      {L"Lu", L"A-Z\\xC0-\\xD6\\xD8-\\xDE\\u0391-\\u03A9\\u0410-\\u042F"},
      {L"Ll", L"a-z\\xDF-\\xF6\\xF8-\\xFF\\u03B1-\\u03C9\\u0430-\\u044F"},
      {L"L",
       L"A-Za-z\\xAA\\xB5\\xBA\\xC0-\\xD6\\xD8-\\xF6\\xF8-\\u02FF\\u0370-\\u03FF\\u0400-"
       L"\\u052F\\u0590-\\u06FF\\u3040-\\u9FFF"},
      {L"Nd", L"0-9\\u0660-\\u0669\\u06F0-\\u06F9"},
      {L"N", L"0-9\\xB2\\xB3\\xB9\\xBC-\\xBE\\u0660-\\u0669"},
      {L"P", L"!-#%-*,-/:;?@\\[-\\]_{}\\xA1\\xA7\\xAB\\xB6\\xB7\\xBB\\xBF"},
      {L"S", L"$+<->^`|~\\xA2-\\xA6\\xA8\\xA9\\xAC\\xAE-\\xB1\\xB4\\xD7\\xF7"},
      {L"Z", L" \\xA0\\u2000-\\u200A\\u2028\\u2029\\u3000"},
      {L"Zs", L" \\xA0\\u2000-\\u200A\\u3000"},
      {L"C", L"\\x00-\\x1F\\x7F-\\x9F"},
      {L"Cc", L"\\x00-\\x1F\\x7F-\\x9F"},
  };
  auto it = kProps.find(name);
  if (it == kProps.end()) return std::nullopt;
  return it->second;
}

// Translates an XPath/XSD regular expression to std::wregex's ECMAScript dialect: character
// class subtraction, \p{..} blocks and categories, \i \c, the x and s flags, and XPath's
// stricter back-reference rules. nullopt for patterns XPath rejects.
std::optional<std::wstring> TranslateRegex(const std::wstring& in, bool xFlag, bool sFlag,
                                           size_t* groupsOut, bool* backtracking) {
  std::wstring p;
  if (xFlag) {
    int depth = 0;
    for (size_t i = 0; i < in.size(); ++i) {
      wchar_t c = in[i];
      if (c == L'\\') {  // the escaped character follows, after any removed whitespace
        p += c;
        size_t j = i + 1;
        while (depth == 0 && j < in.size() &&
               (in[j] == L' ' || in[j] == L'\t' || in[j] == L'\n' || in[j] == L'\r'))
          ++j;
        if (j < in.size()) p += in[j];
        i = j;
        continue;
      }
      if (c == L'[') ++depth;
      if (c == L']' && depth > 0) --depth;
      if (depth == 0 && (c == L' ' || c == L'\t' || c == L'\n' || c == L'\r')) continue;
      p += c;
    }
  } else {
    p = in;
  }
  // Inside \p{...} whitespace is dropped under x even though it sits in braces (done above).
  std::wstring out;
  size_t opened = 0;                  // capturing groups opened so far
  std::vector<size_t> openStack;      // group number (0 = non-capturing) per open paren
  std::vector<bool> closed(1, true);  // closed[n]: group n has been closed
  auto escapeClass = [&](size_t& i, bool inClass, std::wstring& dst) -> bool {
    // p[i] == '\\'
    if (i + 1 >= p.size()) return false;
    wchar_t e = p[i + 1];
    if (e == L'p' || e == L'P') {
      if (i + 2 >= p.size() || p[i + 2] != L'{') return false;
      size_t close = p.find(L'}', i + 3);
      if (close == std::wstring::npos) return false;
      auto cls = PropertyClass(p.substr(i + 3, close - i - 3));
      if (!cls) return false;
      if (e == L'p')
        dst += inClass ? *cls : L"[" + *cls + L"]";
      else if (inClass)
        return false;  // negated property inside a class: unsupported
      else
        dst += L"[^" + *cls + L"]";
      i = close;
      return true;
    }
    if (e == L'i' || e == L'I' || e == L'c' || e == L'C') {
      std::wstring cls = (e == L'i' || e == L'I') ? L"A-Za-z_:\\xC0-\\xD6\\xD8-\\xF6\\xF8-\\u02FF"
                                                  : L"\\-.0-9A-Za-z_:\\xB7\\xC0-\\xD6\\xD8-"
                                                    L"\\xF6\\xF8-\\u02FF";
      bool neg = e == L'I' || e == L'C';
      if (inClass && neg) return false;
      dst += inClass ? cls : (neg ? L"[^" : L"[") + cls + L"]";
      ++i;
      return true;
    }
    if (e >= L'0' && e <= L'9') {
      if (inClass || e == L'0') return false;
      size_t n = e - L'0';
      size_t j = i + 2;
      while (j < p.size() && p[j] >= L'0' && p[j] <= L'9' && n * 10 + (p[j] - L'0') <= opened)
        n = n * 10 + (p[j++] - L'0');
      if (n > opened || n >= closed.size() || !closed[n]) return false;
      dst += L"\\" + std::to_wstring(n);
      *backtracking = true;
      if (j < p.size() && p[j] >= L'0' && p[j] <= L'9') dst += L"(?:)";
      i = j - 1;
      return true;
    }
    static const std::wstring kOk = L"nrt\\|.?*+(){}[]^$-sSdDwW";
    if (kOk.find(e) == std::wstring::npos) return false;
    dst += L'\\';
    dst += e;
    ++i;
    return true;
  };
  // Parses a character class starting at p[i] == '[' into `dst` (an ECMAScript expression).
  std::function<bool(size_t&, std::wstring&)> parseClass = [&](size_t& i,
                                                               std::wstring& dst) -> bool {
    std::wstring body;
    ++i;
    bool neg = false;
    if (i < p.size() && p[i] == L'^') neg = true, ++i;
    bool first = true;
    std::wstring subtract;
    bool hasSub = false;
    while (i < p.size()) {
      wchar_t c = p[i];
      if (c == L']' && !first) break;
      if (c == L'-' && i + 1 < p.size() && p[i + 1] == L'[') {
        ++i;
        if (!parseClass(i, subtract)) return false;
        hasSub = true;
        ++i;
        if (i >= p.size() || p[i] != L']') return false;
        break;
      }
      if (c == L'\\') {
        if (!escapeClass(i, true, body)) return false;
      } else if (c == L'[') {
        return false;
      } else {
        body += c;
      }
      first = false;
      ++i;
    }
    if (i >= p.size() || p[i] != L']') return false;
    if (body.empty()) return false;
    std::wstring cls = std::wstring(L"[") + (neg ? L"^" : L"") + body + L"]";
    if (hasSub) *backtracking = true;
    dst += hasSub ? L"(?:(?!" + subtract + L")" + cls + L")" : cls;
    return true;
  };
  for (size_t i = 0; i < p.size(); ++i) {
    wchar_t c = p[i];
    if (c == L'\\') {
      if (!escapeClass(i, false, out)) return std::nullopt;
    } else if (c == L'[') {
      if (!parseClass(i, out)) return std::nullopt;
    } else if (c == L'(') {
      if (i + 1 < p.size() && p[i + 1] == L'?') {
        if (i + 2 < p.size() && p[i + 2] == L':') {
          openStack.push_back(0);
          out += L"(?:";
          i += 2;
          continue;
        }
        return std::nullopt;
      }
      ++opened;
      closed.push_back(false);
      openStack.push_back(opened);
      out += c;
    } else if (c == L')') {
      if (openStack.empty()) return std::nullopt;
      if (openStack.back()) closed[openStack.back()] = true;
      openStack.pop_back();
      out += c;
    } else if (c == L'.' && sFlag) {
      out += L"[\\s\\S]";
    } else if (c == L']') {
      return std::nullopt;
    } else {
      out += c;
    }
  }
  if (!openStack.empty()) return std::nullopt;
  *groupsOut = opened;
  return out;
}

// The translated (ECMAScript) pattern in RE2's syntax: \uXXXX becomes \x{XXXX}, and `.`
// outside a class keeps ECMAScript's meaning (any character but a line terminator).
std::string ToRe2Syntax(const std::wstring& t) {
  std::wstring out;
  bool inClass = false;
  for (size_t i = 0; i < t.size(); ++i) {
    wchar_t c = t[i];
    if (c == L'\\' && i + 1 < t.size()) {
      if (t[i + 1] == L'u' && i + 5 < t.size()) {
        out += L"\\x{" + t.substr(i + 2, 4) + L"}";
        i += 5;
      } else {
        out += c;
        out += t[++i];
      }
      continue;
    }
    if (c == L'[') inClass = true;
    if (c == L']') inClass = false;
    if (c == L'.' && !inClass) {
      out += L"[^\\n\\r\\x{2028}\\x{2029}]";
      continue;
    }
    out += c;
  }
  return FromW(out);
}

// Backtracking takes time exponential in the input for a quantified group that holds a
// quantifier (`(a+)+`) and polynomial of the degree of the quantifiers' count otherwise, so a
// backtracking pattern runs only when it has no such group and at most three quantifiers, on
// at most kMaxBacktrackingInput characters; anything larger is refused as over the limits.
constexpr size_t kMaxBacktrackingInput = 256;
bool BoundedBacktracking(const std::wstring& t) {
  if (t.size() > kMaxBacktrackingInput) return false;  // its compiler recurses too
  int quantifiers = 0;
  std::vector<bool> holds;  // per open group: a quantifier inside it
  bool lastClosedHeld = false, afterGroup = false;
  bool inClass = false;
  for (size_t i = 0; i < t.size(); ++i) {
    wchar_t c = t[i];
    bool group = false;
    if (c == L'\\') {
      ++i;
    } else if (inClass) {
      if (c == L']') inClass = false;
    } else if (c == L'[') {
      inClass = true;
    } else if (c == L'(') {
      holds.push_back(false);
      if (i + 1 < t.size() && t[i + 1] == L'?') i += 2;  // (?: or (?!
    } else if (c == L')') {
      if (holds.empty()) return false;
      lastClosedHeld = holds.back();
      holds.pop_back();
      if (lastClosedHeld && !holds.empty()) holds.back() = true;
      group = true;
    } else if (c == L'*' || c == L'+' || c == L'?' || c == L'{') {
      if (afterGroup && lastClosedHeld) return false;
      if (++quantifiers > 3) return false;
      for (size_t k = 0; k < holds.size(); ++k) holds[k] = true;
      if (c == L'{')
        while (i < t.size() && t[i] != L'}') ++i;
    }
    afterGroup = group;
  }
  return true;
}

std::optional<Regex> CompileRegex(const std::string& pattern, const Value& flagsV) {
  std::string flags;
  if (IsStr(flagsV))
    flags = flagsV.AsString();
  else if (!flagsV.IsNull())
    return std::nullopt;
  bool s = false, m = false, i = false, x = false, q = false;
  for (char f : flags) {
    switch (f) {
      case 's':
        s = true;
        break;
      case 'm':
        m = true;
        break;
      case 'i':
        i = true;
        break;
      case 'x':
        x = true;
        break;
      case 'q':
        q = true;
        break;
      default:
        return std::nullopt;
    }
  }
  std::wstring w = ToW(pattern);
  Regex r;
  std::wstring translated;
  bool backtracking = false;
  if (q) {
    static const std::wstring kSpecial = L"\\^$.|?*+()[]{}";
    for (wchar_t c : w) {
      if (kSpecial.find(c) != std::wstring::npos) translated += L'\\';
      translated += c;
    }
  } else {
    auto t = TranslateRegex(w, x, s, &r.groups, &backtracking);
    if (!t) return std::nullopt;
    translated = *t;
    if (backtracking && !BoundedBacktracking(translated)) {
      r.refused = true;  // refused when used: over the evaluation limits
      return r;
    }
  }
  if (!backtracking) {
    re2::RE2::Options o;
    o.set_log_errors(false);
    o.set_case_sensitive(!i);
    auto re = std::make_unique<re2::RE2>((m ? "(?m)" : "") + ToRe2Syntax(translated), o);
    if (!re->ok()) return std::nullopt;  // not a pattern: null, as XPath's error is
    r.fast = std::move(re);
    return r;
  }
  auto opts = std::regex_constants::ECMAScript;
  if (i) opts |= std::regex_constants::icase;
  if (m) opts |= std::regex_constants::multiline;
  try {
    r.re = std::wregex(translated, opts);
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
  return r;
}

// Whether `r` may run on `input` (UTF-8): false, and the evaluation cut short, for a
// backtracking pattern past its bounds. Characters are counted only for those.
bool MayRun(const Regex& r, std::string_view input) {
  if (r.fast) return true;
  size_t chars = 0;
  for (char c : input) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (!r.refused && chars <= kMaxBacktrackingInput) return true;
  feel::CutShort();
  return false;
}

// XPath's replace and tokenize refuse a pattern that matches the empty string.
bool MatchesEmpty(const Regex& r) {
  return r.fast ? re2::RE2::FullMatch("", *r.fast) : std::regex_match(std::wstring(), r.re);
}

// Every match of `re` in `in`, in order: `each(before, groups)` gets the text since the last
// match and the match's groups; `tail` the text after the last. False when a match is empty
// (XPath's error for a pattern that can match nothing).
template <typename Each>
bool ForEachMatch(const re2::RE2& re, const std::string& in, std::string& tail, Each each) {
  std::vector<re2::StringPiece> g(static_cast<size_t>(re.NumberOfCapturingGroups()) + 1);
  size_t pos = 0;
  while (pos < in.size() &&
         re.Match(in, pos, in.size(), re2::RE2::UNANCHORED, g.data(), static_cast<int>(g.size()))) {
    if (g[0].empty()) return false;
    size_t start = static_cast<size_t>(g[0].data() - in.data());
    each(in.substr(pos, start - pos), g);
    pos = start + g[0].size();
  }
  tail = in.substr(std::min(pos, in.size()));
  return true;
}

// `rep` (XPath: $N a group, the longest N that names one; \$ and \\ literal) for one match.
bool AppendReplacement(const std::string& rep, bool literal, const std::vector<re2::StringPiece>& g,
                       std::string& out) {
  if (literal) {
    out += rep;
    return true;
  }
  for (size_t i = 0; i < rep.size(); ++i) {
    char c = rep[i];
    if (c == '\\') {
      if (i + 1 >= rep.size() || (rep[i + 1] != '\\' && rep[i + 1] != '$')) return false;
      out += rep[++i];
    } else if (c == '$') {
      if (i + 1 >= rep.size() || rep[i + 1] < '0' || rep[i + 1] > '9') return false;
      size_t n = static_cast<size_t>(rep[++i] - '0');
      while (i + 1 < rep.size() && rep[i + 1] >= '0' && rep[i + 1] <= '9' &&
             n * 10 + static_cast<size_t>(rep[i + 1] - '0') < g.size())
        n = n * 10 + static_cast<size_t>(rep[++i] - '0');
      if (n < g.size()) out.append(g[n].data(), g[n].size());
    } else {
      out += c;
    }
  }
  return true;
}

// Inputs beyond kMaxRegexInput are refused (null). RE2 neither recurses nor backtracks;
// std::wregex (back-references, class subtraction) recurses per character, but runs only on
// the short inputs and patterns BoundedBacktracking allows, so an ordinary stack is enough.
constexpr size_t kMaxRegexInput = 1000000;

Value RegexGuard(const Args& a, const std::function<Value()>& body) {
  size_t len = 0;
  for (const auto& v : a) {
    if (v.Is(K::kString)) len += v.AsString().size();
    if (v.Is(K::kList) && v.AsList().size() == 1 && v.AsList()[0].Is(K::kString))
      len += v.AsList()[0].AsString().size();
  }
  if (len > kMaxRegexInput) return Value();
  try {
    return body();
  } catch (const std::exception&) {
    return Value();
  }
}

// XPath replacement string -> ECMAScript format string; nullopt when invalid.
std::optional<std::wstring> TranslateReplacement(const std::wstring& in) {
  std::wstring out;
  for (size_t i = 0; i < in.size(); ++i) {
    wchar_t c = in[i];
    if (c == L'\\') {
      if (i + 1 >= in.size() || (in[i + 1] != L'\\' && in[i + 1] != L'$')) return std::nullopt;
      out += in[i + 1] == L'$' ? L"$$" : L"\\";
      ++i;
    } else if (c == L'$') {
      if (i + 1 >= in.size() || in[i + 1] < L'0' || in[i + 1] > L'9') return std::nullopt;
      if (in[i + 1] == L'0') {
        out += L"$&";
        ++i;
      } else {
        out += L'$';
      }
    } else {
      out += c;
    }
  }
  return out;
}

// ---- Numbers ------------------------------------------------------------------------------

enum class Rounding { kHalfEven, kFloor, kCeiling, kUp, kDown, kHalfUp, kHalfDown };

Decimal RoundInteger(const Decimal& x, Rounding mode) {
  Decimal fl = mp::floor(x);
  Decimal frac = x - fl;
  if (frac.is_zero()) return x;
  Decimal ce = fl + 1;
  bool negative = x < 0;
  switch (mode) {
    case Rounding::kFloor:
      return fl;
    case Rounding::kCeiling:
      return ce;
    case Rounding::kUp:
      return negative ? fl : ce;
    case Rounding::kDown:
      return negative ? ce : fl;
    default:
      break;
  }
  Decimal half("0.5");
  if (frac < half) return fl;
  if (frac > half) return ce;
  switch (mode) {
    case Rounding::kHalfUp:
      return negative ? fl : ce;
    case Rounding::kHalfDown:
      return negative ? ce : fl;
    default: {
      Decimal halfFl = fl / 2;
      return mp::floor(halfFl) == halfFl ? fl : ce;
    }
  }
}

Value RoundTo(const Value& n, const Value& scaleV, Rounding mode) {
  if (!IsNum(n) || !IsNum(scaleV)) return Value();
  auto scale = TruncInt(scaleV);
  if (!scale || *scale < -6111 || *scale > 6176) return Value();
  const Decimal& d = n.AsNumber();
  Decimal factor = mp::pow(Decimal(10), static_cast<int>(*scale));
  Decimal x = d * factor;
  if (IsInteger(x)) return d;
  return Decimal(RoundInteger(x, mode) / factor);
}

// ---- Temporal helpers ---------------------------------------------------------------------

bool ValidZone(const FTime& t) {
  if (t.zone.empty()) return true;
  const std::string& z = t.zone;
  for (char c : z)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
          c == '+'))
      return false;
  if (z.find("..") != std::string::npos || z.front() == '/') return false;
  std::error_code ec;
  static const bool haveDb = std::filesystem::is_directory("/usr/share/zoneinfo", ec);
  if (haveDb) return std::filesystem::is_regular_file("/usr/share/zoneinfo/" + z, ec);
  return z == "UTC" || z == "GMT" || z.find('/') != std::string::npos;
}

std::optional<FDate> DateOf(const Value& v) {
  if (v.Is(K::kDate)) return v.AsDate();
  if (v.Is(K::kDateTime)) return v.AsDateTime().date;
  return std::nullopt;
}

Value ParseDateString(const std::string& s) {
  if (auto d = ParseDate(s)) return *d;
  return Value();
}
Value ParseTimeString(const std::string& s) {
  auto t = ParseTime(s);
  if (!t || !ValidZone(*t)) return Value();
  return *t;
}
Value ParseDateTimeString(const std::string& s) {
  if (auto dt = ParseDateTime(s)) {
    if (!ValidZone(dt->time)) return Value();
    return *dt;
  }
  if (s.find('T') == std::string::npos)
    if (auto d = ParseDate(s)) return FDateTime{*d, FTime{}};
  return Value();
}
Value ParseDurationString(const std::string& s) {
  if (auto ym = ParseYearMonthDuration(s)) return *ym;
  if (auto dt = ParseDayTimeDuration(s)) return *dt;
  return Value();
}

int DayOfWeekIndex(const FDate& d) {                     // 0 = Monday
  int64_t days = DaysFromCivil(d.year, d.month, d.day);  // 1970-01-01 was a Thursday
  int64_t w = (days + 3) % 7;
  if (w < 0) w += 7;
  return static_cast<int>(w);
}

int IsoWeek(const FDate& d) {
  int64_t days = DaysFromCivil(d.year, d.month, d.day);
  int dow = DayOfWeekIndex(d);        // 0 = Monday
  int64_t thursday = days - dow + 3;  // the Thursday of this ISO week
  FDate t = CivilFromDays(thursday);
  int64_t jan1 = DaysFromCivil(t.year, 1, 1);
  return static_cast<int>((thursday - jan1) / 7 + 1);
}

// ---- Range helpers ------------------------------------------------------------------------

// A range endpoint or a point: `inf` is -1/+1 for an unbounded side.
struct Bound {
  const Value* v = nullptr;
  int inf = 0;
  bool included = true;
};

std::optional<int> Cmp(const Bound& a, const Bound& b) {
  if (a.inf || b.inf) {
    if (a.inf == b.inf) return 0;
    return a.inf < b.inf ? -1 : 1;
  }
  return Compare(*a.v, *b.v);
}

Bound Start(const Range& r) { return {&r.start, r.start.IsNull() ? -1 : 0, r.startIncluded}; }
Bound End(const Range& r) { return {&r.end, r.end.IsNull() ? 1 : 0, r.endIncluded}; }
Bound Point(const Value& v) { return {&v, 0, true}; }

enum class Shape { kPointPoint, kPointRange, kRangePoint, kRangeRange };

struct RangeArgs {
  Shape shape = Shape::kPointPoint;
  // Comparisons: for points p/q and ranges r/s (start a, end b).
  // pp: c[0] = p ? q. pr: c[0] = p ? s.a, c[1] = p ? s.b. rp: c[0] = r.a ? q, c[1] = r.b ? q.
  // rr: c[0] = r.a ? s.a, c[1] = r.a ? s.b, c[2] = r.b ? s.a, c[3] = r.b ? s.b.
  int c[4] = {0, 0, 0, 0};
  bool ai = true, bi = true, si = true, ei = true;  // r.a, r.b, s.a, s.b included
};

std::optional<RangeArgs> Classify(const Args& a) {
  if (a.size() != 2 || a[0].IsNull() || a[1].IsNull()) return std::nullopt;
  if (a[0].Is(K::kFunction) || a[1].Is(K::kFunction)) return std::nullopt;
  RangeArgs out;
  bool r0 = a[0].Is(K::kRange), r1 = a[1].Is(K::kRange);
  auto put = [&](int i, std::optional<int> c) {
    if (!c) return false;
    out.c[i] = *c;
    return true;
  };
  if (!r0 && !r1) {
    out.shape = Shape::kPointPoint;
    if (!put(0, Cmp(Point(a[0]), Point(a[1])))) return std::nullopt;
  } else if (!r0 && r1) {
    out.shape = Shape::kPointRange;
    const Range& s = a[1].AsRange();
    if (!put(0, Cmp(Point(a[0]), Start(s))) || !put(1, Cmp(Point(a[0]), End(s))))
      return std::nullopt;
    out.si = s.startIncluded, out.ei = s.endIncluded;
  } else if (r0 && !r1) {
    out.shape = Shape::kRangePoint;
    const Range& r = a[0].AsRange();
    if (!put(0, Cmp(Start(r), Point(a[1]))) || !put(1, Cmp(End(r), Point(a[1]))))
      return std::nullopt;
    out.ai = r.startIncluded, out.bi = r.endIncluded;
  } else {
    out.shape = Shape::kRangeRange;
    const Range &r = a[0].AsRange(), &s = a[1].AsRange();
    if (!put(0, Cmp(Start(r), Start(s))) || !put(1, Cmp(Start(r), End(s))) ||
        !put(2, Cmp(End(r), Start(s))) || !put(3, Cmp(End(r), End(s))))
      return std::nullopt;
    out.ai = r.startIncluded, out.bi = r.endIncluded;
    out.si = s.startIncluded, out.ei = s.endIncluded;
  }
  return out;
}

// Swaps the two arguments' roles (after = before with arguments swapped, and so on).
Args Swap(const Args& a) { return a.size() == 2 ? Args{a[1], a[0]} : a; }

Value Before(const Args& args) {
  auto x = Classify(args);
  if (!x) return Value();
  const int* c = x->c;
  switch (x->shape) {
    case Shape::kPointPoint:
      return c[0] < 0;
    case Shape::kPointRange:
      return c[0] < 0 || (c[0] == 0 && !x->si);
    case Shape::kRangePoint:
      return c[1] < 0 || (c[1] == 0 && !x->bi);
    case Shape::kRangeRange:
      return c[2] < 0 || (c[2] == 0 && (!x->bi || !x->si));
  }
  return Value();
}

Value Meets(const Args& args) {
  auto x = Classify(args);
  if (!x || x->shape != Shape::kRangeRange) return Value();
  return x->bi && x->si && x->c[2] == 0;
}

Value Overlaps(const Args& args) {
  auto x = Classify(args);
  if (!x || x->shape != Shape::kRangeRange) return Value();
  const int* c = x->c;
  return (c[2] > 0 || (c[2] == 0 && x->bi && x->si)) && (c[1] < 0 || (c[1] == 0 && x->ai && x->ei));
}

Value OverlapsBefore(const Args& args) {
  auto x = Classify(args);
  if (!x || x->shape != Shape::kRangeRange) return Value();
  const int* c = x->c;
  return (c[0] < 0 || (c[0] == 0 && x->ai && !x->si)) &&
         (c[2] > 0 || (c[2] == 0 && x->bi && x->si)) &&
         (c[3] < 0 || (c[3] == 0 && (!x->bi || x->ei)));
}

Value Finishes(const Args& args) {
  auto x = Classify(args);
  if (!x) return Value();
  const int* c = x->c;
  switch (x->shape) {
    case Shape::kPointRange:
      return x->ei && c[1] == 0;
    case Shape::kRangeRange:
      return x->bi == x->ei && c[3] == 0 && (c[0] > 0 || (c[0] == 0 && (!x->ai || x->si)));
    default:
      return Value();
  }
}

Value Includes(const Args& args) {
  auto x = Classify(args);
  if (!x) return Value();
  const int* c = x->c;
  switch (x->shape) {
    case Shape::kRangePoint:
      return (c[0] < 0 && c[1] > 0) || (c[0] == 0 && x->ai) || (c[1] == 0 && x->bi);
    case Shape::kRangeRange:
      return (c[0] < 0 || (c[0] == 0 && (x->ai || !x->si))) &&
             (c[3] > 0 || (c[3] == 0 && (x->bi || !x->ei)));
    default:
      return Value();
  }
}

Value Starts(const Args& args) {
  auto x = Classify(args);
  if (!x) return Value();
  const int* c = x->c;
  switch (x->shape) {
    case Shape::kPointRange:
      return c[0] == 0 && x->si;
    case Shape::kRangeRange:
      return c[0] == 0 && x->ai == x->si && (c[3] < 0 || (c[3] == 0 && (!x->bi || x->ei)));
    default:
      return Value();
  }
}

Value Coincides(const Args& args) {
  auto x = Classify(args);
  if (!x) return Value();
  const int* c = x->c;
  switch (x->shape) {
    case Shape::kPointPoint:
      return c[0] == 0;
    case Shape::kRangeRange:
      return c[0] == 0 && x->ai == x->si && c[3] == 0 && x->bi == x->ei;
    default:
      return Value();
  }
}

// Reverses a point-range/range-point shape check: f(b, a) for "by" variants.
template <Value (*F)(const Args&)>
Value Flipped(const Args& a) {
  return F(Swap(a));
}

// ---- range(from) literal parser ---------------------------------------------------------

struct LiteralParser {
  std::string_view s;
  size_t i = 0;
  void Ws() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  std::optional<std::string> StringLit() {
    if (i >= s.size() || s[i] != '"') return std::nullopt;
    ++i;
    std::string out;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) {
        char e = s[++i];
        out += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
      } else {
        out += s[i];
      }
      ++i;
    }
    if (i >= s.size()) return std::nullopt;
    ++i;
    return out;
  }
  // A FEEL literal endpoint; nullopt when not one (a null literal is not accepted).
  std::optional<Value> Endpoint() {
    Ws();
    if (i >= s.size()) return std::nullopt;
    if (s[i] == '"') {
      auto str = StringLit();
      if (!str) return std::nullopt;
      return Value(*str);
    }
    if (s[i] == '@') {
      ++i;
      auto str = StringLit();
      if (!str) return std::nullopt;
      Value v = ParseTemporal(*str);
      if (v.IsNull()) return std::nullopt;
      if (v.Is(K::kTime) && !ValidZone(v.AsTime())) return std::nullopt;
      if (v.Is(K::kDateTime) && !ValidZone(v.AsDateTime().time)) return std::nullopt;
      return v;
    }
    if (s[i] == '-' || s[i] == '+' || s[i] == '.' ||
        std::isdigit(static_cast<unsigned char>(s[i]))) {
      size_t start = i;
      if (s[i] == '-' || s[i] == '+') ++i;
      auto digits = [&] {
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
      };
      digits();
      if (i + 1 < s.size() && s[i] == '.' && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
        ++i;
        digits();
      }
      auto d = ParseDecimal(s.substr(start, i - start));
      if (!d) return std::nullopt;
      return Value(*d);
    }
    static const std::pair<const char*, Value (*)(const std::string&)> kFns[] = {
        {"date and time", ParseDateTimeString},
        {"date", ParseDateString},
        {"time", ParseTimeString},
        {"duration", ParseDurationString},
    };
    for (const auto& [name, parse] : kFns) {
      std::string_view n(name);
      if (s.substr(i, n.size()) != n) continue;
      size_t save = i;
      i += n.size();
      Ws();
      if (i >= s.size() || s[i] != '(') {
        i = save;
        continue;
      }
      ++i;
      Ws();
      auto str = StringLit();
      if (!str) return std::nullopt;
      Ws();
      if (i >= s.size() || s[i] != ')') return std::nullopt;
      ++i;
      Value v = parse(*str);
      if (v.IsNull()) return std::nullopt;
      return v;
    }
    return std::nullopt;
  }
};

Value ParseRange(const std::string& text) {
  LiteralParser p{text};
  p.Ws();
  if (p.i >= text.size()) return Value();
  Range r;
  char open = text[p.i];
  if (open != '[' && open != '(' && open != ']') return Value();
  r.startIncluded = open == '[';
  ++p.i;
  auto start = p.Endpoint();
  if (!start) return Value();
  p.Ws();
  if (text.compare(p.i, 2, "..") != 0) return Value();
  p.i += 2;
  auto end = p.Endpoint();
  if (!end) return Value();
  p.Ws();
  if (p.i >= text.size()) return Value();
  char close = text[p.i++];
  if (close != ']' && close != ')' && close != '[') return Value();
  r.endIncluded = close == ']';
  p.Ws();
  if (p.i != text.size()) return Value();
  auto c = Compare(*start, *end);
  if (!c || *c > 0) return Value();
  r.start = *start;
  r.end = *end;
  return Value(std::move(r));
}

// ---- List helpers -------------------------------------------------------------------------

std::optional<List> NumbersOf(const Args& a) {
  auto items = VarItems(a);
  if (!items) return std::nullopt;
  for (const auto& v : *items)
    if (!IsNum(v)) return std::nullopt;
  return items;
}

void Flatten(const List& in, List& out) {
  for (const auto& v : in) {
    if (v.Is(K::kList))
      Flatten(v.AsList(), out);
    else
      out.push_back(v);
  }
}

// 1-based position (negative from the end) -> 0-based index, nullopt when out of range.
std::optional<size_t> Position(const Value& pos, size_t size) {
  auto p = TruncInt(pos);
  if (!p || *p == 0) return std::nullopt;
  int64_t n = static_cast<int64_t>(size);
  if (*p > n || *p < -n) return std::nullopt;
  return static_cast<size_t>(*p > 0 ? *p - 1 : n + *p);
}

Value ContextPutPath(const Value& ctx, const List& keys, size_t at, const Value& value) {
  if (!ctx.Is(K::kContext) || at >= keys.size() || !IsStr(keys[at])) return Value();
  Context c = ctx.AsContext();
  const std::string& key = keys[at].AsString();
  if (at + 1 == keys.size()) {
    c.Set(key, value);
    return Value(std::move(c));
  }
  const Value* inner = c.Find(key);
  if (!inner) return Value();
  Value v = ContextPutPath(*inner, keys, at + 1, value);
  if (v.IsNull()) return Value();
  c.Set(key, v);
  return Value(std::move(c));
}

bool IsFunction(const Value& v) { return v.Is(K::kFunction); }
bool TakesArgs(const Value& fn, size_t n) {
  for (const auto& sig : fn.AsFunction()->Signatures())
    if (sig.size() == n) return true;
  return fn.AsFunction()->Variadic();
}

// Same type and same value, time zones and offsets included (`is`).
bool Identical(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  auto sameTime = [](const FTime& x, const FTime& y) {
    return x.hour == y.hour && x.minute == y.minute && x.second == y.second && x.nanos == y.nanos &&
           x.offsetSeconds == y.offsetSeconds && x.zone == y.zone;
  };
  switch (a.kind()) {
    case K::kNull:
      return true;
    case K::kTime:
      return sameTime(a.AsTime(), b.AsTime());
    case K::kDateTime: {
      const auto &x = a.AsDateTime(), &y = b.AsDateTime();
      return x.date.year == y.date.year && x.date.month == y.date.month &&
             x.date.day == y.date.day && sameTime(x.time, y.time);
    }
    default:
      return Same(a, b);
  }
}

const char* kDayNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                           "Friday", "Saturday", "Sunday"};
const char* kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                             "July",    "August",   "September", "October", "November", "December"};

std::unordered_map<std::string, Value> Build() {
  std::unordered_map<std::string, Value> m;

  // ---- Conversion ---------------------------------------------------------------------
  m["date"] = FnU({{"from"}, {"year", "month", "day"}}, [](const Args& a) -> Value {
    if (a.size() == 1) {
      if (IsStr(a[0])) return ParseDateString(a[0].AsString());
      if (auto d = DateOf(a[0])) return *d;
      return Value();
    }
    if (a.size() != 3) return Value();
    for (const auto& v : a)
      if (!IsNum(v)) return Value();
    auto y = ToInt64(a[0].AsNumber()), mo = ToInt64(a[1].AsNumber()), d = ToInt64(a[2].AsNumber());
    if (!y || !mo || !d || *mo < 1 || *mo > 12 || *d < 1 || *d > 31) return Value();
    if (!ValidDate(*y, static_cast<int>(*mo), static_cast<int>(*d))) return Value();
    return FDate{*y, static_cast<int>(*mo), static_cast<int>(*d)};
  });

  m["date and time"] = FnU({{"from"}, {"date", "time"}}, [](const Args& a) -> Value {
    if (a.size() == 1) {
      if (IsStr(a[0])) return ParseDateTimeString(a[0].AsString());
      if (a[0].Is(K::kDateTime)) return a[0];
      if (a[0].Is(K::kDate)) return FDateTime{a[0].AsDate(), FTime{}};
      return Value();
    }
    if (a.size() != 2 || !a[1].Is(K::kTime)) return Value();
    auto d = DateOf(a[0]);
    if (!d) return Value();
    return FDateTime{*d, a[1].AsTime()};
  });

  m["time"] = FnU({{"from"}, {"hour", "minute", "second", "offset"}}, [](const Args& a) -> Value {
    if (a.size() == 1) {
      const Value& v = a[0];
      if (IsStr(v)) return ParseTimeString(v.AsString());
      if (v.Is(K::kTime)) return v;
      if (v.Is(K::kDateTime)) return v.AsDateTime().time;
      if (v.Is(K::kDate)) {
        FTime t;
        t.offsetSeconds = 0;
        return t;
      }
      return Value();
    }
    if (a.size() != 3 && a.size() != 4) return Value();
    if (!IsNum(a[0]) || !IsNum(a[1]) || !IsNum(a[2])) return Value();
    auto h = ToInt64(a[0].AsNumber()), mi = ToInt64(a[1].AsNumber());
    const Decimal& sec = a[2].AsNumber();
    if (!h || !mi || *h < 0 || *h > 23 || *mi < 0 || *mi > 59 || sec < 0 || sec >= 60)
      return Value();
    FTime t;
    t.hour = static_cast<int>(*h);
    t.minute = static_cast<int>(*mi);
    Decimal whole = mp::floor(sec);
    t.second = whole.convert_to<int>();
    t.nanos = Decimal((sec - whole) * 1000000000).convert_to<int64_t>();
    if (a.size() == 4 && !a[3].IsNull()) {
      if (!a[3].Is(K::kDayTimeDuration)) return Value();
      const Decimal& off = a[3].AsDayTime().seconds;
      if (!IsInteger(off) || off > 14 * 3600 || off < -14 * 3600) return Value();
      t.offsetSeconds = off.convert_to<int>();
    }
    return t;
  });

  m["number"] =
      FnU({{"from", "grouping separator", "decimal separator"}}, [](const Args& a) -> Value {
        if ((a.size() != 1 && a.size() != 3) || !IsStr(a[0])) return Value();
        std::string group, dec = ".";
        if (a.size() == 3) {
          if (IsStr(a[1]))
            group = a[1].AsString();
          else if (!a[1].IsNull())
            return Value();
          if (IsStr(a[2]))
            dec = a[2].AsString();
          else if (!a[2].IsNull())
            return Value();
        }
        if (!group.empty() && group != " " && group != "," && group != ".") return Value();
        if (dec != "." && dec != ",") return Value();
        if (group == dec) return Value();
        std::string s;
        for (char c : a[0].AsString()) {
          if (!group.empty() && c == group[0]) continue;
          if (c == dec[0])
            s += '.';
          else if (c == '.' || c == ',' || std::isspace(static_cast<unsigned char>(c)))
            return Value();
          else
            s += c;
        }
        auto d = ParseDecimal(s);
        if (!d) return Value();
        return *d;
      });

  m["string"] = Fn({{"from"}}, [](const Args& a) -> Value {
    if (a.size() != 1 || a[0].IsNull()) return Value();
    return ToFeelString(a[0]);
  });

  m["duration"] = FnU({{"from"}}, [](const Args& a) -> Value {
    if (a.size() != 1 || !IsStr(a[0])) return Value();
    return ParseDurationString(a[0].AsString());
  });

  m["years and months duration"] = FnU({{"from", "to"}}, [](const Args& a) -> Value {
    if (a.size() != 2) return Value();
    auto from = DateOf(a[0]), to = DateOf(a[1]);
    if (!from || !to) return Value();
    int64_t months = (to->year * 12 + to->month) - (from->year * 12 + from->month);
    int days = to->day - from->day;
    if (months > 0 && days < 0) --months;
    if (months < 0 && days > 0) ++months;
    return YearMonthDuration{months};
  });

  // ---- Context ------------------------------------------------------------------------
  m["context"] = Fn({{"entries"}}, [](const Args& a) -> Value {
    if (a.size() != 1) return Value();
    auto items = ListArg(a[0]);
    if (!items) return Value();
    Context c;
    for (const auto& e : *items) {
      if (!e.Is(K::kContext)) return Value();
      const Value* key = e.AsContext().Find("key");
      const Value* value = e.AsContext().Find("value");
      if (!key || !value || !IsStr(*key)) return Value();
      if (c.Find(key->AsString())) return Value();
      c.entries.emplace_back(key->AsString(), *value);
    }
    return Value(std::move(c));
  });

  m["get value"] = Fn({{"m", "key"}}, [](const Args& a) -> Value {
    if (a.size() != 2 || !a[0].Is(K::kContext)) return Value();
    if (IsStr(a[1])) {
      const Value* v = a[0].AsContext().Find(a[1].AsString());
      return v ? *v : Value();
    }
    if (a[1].Is(K::kList)) {  // a key path
      Value cur = a[0];
      for (const auto& k : a[1].AsList()) {
        if (!IsStr(k) || !cur.Is(K::kContext)) return Value();
        const Value* v = cur.AsContext().Find(k.AsString());
        if (!v) return Value();
        cur = *v;
      }
      return cur;
    }
    return Value();
  });

  m["get entries"] = Fn({{"m"}}, [](const Args& a) -> Value {
    if (a.size() != 1 || !a[0].Is(K::kContext)) return Value();
    List out;
    for (const auto& [k, v] : a[0].AsContext().entries) {
      Context e;
      e.entries.emplace_back("key", Value(k));
      e.entries.emplace_back("value", v);
      out.emplace_back(std::move(e));
    }
    return out;
  });

  m["context put"] =
      Fn({{"context", "key", "value"}, {"context", "keys", "value"}}, [](const Args& a) -> Value {
        if (a.size() != 3 || !a[0].Is(K::kContext)) return Value();
        if (IsStr(a[1])) {
          Context c = a[0].AsContext();
          c.Set(a[1].AsString(), a[2]);
          return Value(std::move(c));
        }
        if (!a[1].Is(K::kList) || a[1].AsList().empty()) return Value();
        return ContextPutPath(a[0], a[1].AsList(), 0, a[2]);
      });

  m["context merge"] = Fn({{"contexts"}}, [](const Args& a) -> Value {
    if (a.size() != 1) return Value();
    auto items = ListArg(a[0]);
    if (!items) return Value();
    Context c;
    for (const auto& e : *items) {
      if (!e.Is(K::kContext)) return Value();
      for (const auto& [k, v] : e.AsContext().entries) c.Set(k, v);
    }
    return Value(std::move(c));
  });

  // ---- Boolean --------------------------------------------------------------------------
  m["not"] = Fn({{"negand"}}, [](const Args& a) -> Value {
    if (a.size() != 1 || !a[0].Is(K::kBoolean)) return Value();
    return !a[0].AsBool();
  });

  m["is"] = Fn({{"value1", "value2"}}, [](const Args& a) -> Value {
    if (a.size() != 2) return Value();
    return Identical(a[0], a[1]);
  });

  // ---- String -----------------------------------------------------------------------------
  m["substring"] =
      FnU({{"string", "start position"}, {"string", "start position", "length"}},
          [](const Args& a) -> Value {
            if (a.size() != 2 && a.size() != 3) return Value();
            if (!IsStr(a[0]) || !IsNum(a[1])) return Value();
            std::u32string s = ToU32(a[0].AsString());
            auto start = TruncInt(a[1]);
            if (!start || *start == 0) return Value();
            int64_t n = static_cast<int64_t>(s.size());
            int64_t from = *start > 0 ? *start - 1 : n + *start;
            if (from < 0) from = 0;
            if (from > n) return std::string();
            int64_t len = n - from;
            if (a.size() == 3 && !a[2].IsNull()) {
              auto l = TruncInt(a[2]);
              if (!l || *l < 0) return Value();
              len = std::min(len, *l);
            } else if (a.size() == 3) {
              return Value();
            }
            return ToUtf8(s.substr(static_cast<size_t>(from), static_cast<size_t>(len)));
          });

  m["string length"] = FnU({{"string"}}, [](const Args& a) -> Value {
    if (a.size() != 1 || !IsStr(a[0])) return Value();
    return static_cast<int64_t>(ToU32(a[0].AsString()).size());
  });

  m["upper case"] = FnU({{"string"}}, [](const Args& a) -> Value {
    if (a.size() != 1 || !IsStr(a[0])) return Value();
    std::u32string s = ToU32(a[0].AsString());
    for (auto& c : s) c = Upper(c);
    return ToUtf8(s);
  });

  m["lower case"] = FnU({{"string"}}, [](const Args& a) -> Value {
    if (a.size() != 1 || !IsStr(a[0])) return Value();
    std::u32string s = ToU32(a[0].AsString());
    for (auto& c : s) c = Lower(c);
    return ToUtf8(s);
  });

  auto twoStrings = [](const Args& a) { return a.size() == 2 && IsStr(a[0]) && IsStr(a[1]); };

  m["substring before"] = FnU({{"string", "match"}}, [twoStrings](const Args& a) -> Value {
    if (!twoStrings(a)) return Value();
    size_t p = a[0].AsString().find(a[1].AsString());
    if (p == std::string::npos) return std::string();
    return a[0].AsString().substr(0, p);
  });

  m["substring after"] = FnU({{"string", "match"}}, [twoStrings](const Args& a) -> Value {
    if (!twoStrings(a)) return Value();
    size_t p = a[0].AsString().find(a[1].AsString());
    if (p == std::string::npos) return std::string();
    return a[0].AsString().substr(p + a[1].AsString().size());
  });

  m["contains"] = FnU({{"string", "match"}}, [twoStrings](const Args& a) -> Value {
    if (!twoStrings(a)) return Value();
    return a[0].AsString().find(a[1].AsString()) != std::string::npos;
  });

  m["starts with"] = FnU({{"string", "match"}}, [twoStrings](const Args& a) -> Value {
    if (!twoStrings(a)) return Value();
    return a[0].AsString().rfind(a[1].AsString(), 0) == 0;
  });

  m["ends with"] = FnU({{"string", "match"}}, [twoStrings](const Args& a) -> Value {
    if (!twoStrings(a)) return Value();
    const std::string &s = a[0].AsString(), &t = a[1].AsString();
    return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
  });

  m["matches"] =
      FnU({{"input", "pattern"}, {"input", "pattern", "flags"}}, [](const Args& a) -> Value {
        if (a.size() != 2 && a.size() != 3) return Value();
        if (!IsStr(a[0]) || !IsStr(a[1])) return Value();
        auto re = CompileRegex(a[1].AsString(), a.size() == 3 ? a[2] : Value());
        if (!re) return Value();
        if (!MayRun(*re, a[0].AsString())) return Value();
        bool fold = a.size() == 3 && IsStr(a[2]) && a[2].AsString().find('i') != std::string::npos;
        if (re->fast && !fold) return re2::RE2::PartialMatch(a[0].AsString(), *re->fast);
        std::wstring in = ToW(a[0].AsString());
        if (fold)
          for (auto& c : in) c = static_cast<wchar_t>(FoldCase(c));
        if (re->fast) return re2::RE2::PartialMatch(FromW(in), *re->fast);
        try {
          return std::regex_search(in, re->re);
        } catch (const std::regex_error&) {
          return Value();
        }
      });

  m["replace"] =
      FnU({{"input", "pattern", "replacement"}, {"input", "pattern", "replacement", "flags"}},
          [](const Args& a) -> Value {
            if (a.size() != 3 && a.size() != 4) return Value();
            if (!IsStr(a[0]) || !IsStr(a[1]) || !IsStr(a[2])) return Value();
            auto re = CompileRegex(a[1].AsString(), a.size() == 4 ? a[3] : Value());
            if (!re) return Value();
            const std::string& input = a[0].AsString();
            if (!MayRun(*re, input)) return Value();
            bool literal =
                a.size() == 4 && IsStr(a[3]) && a[3].AsString().find('q') != std::string::npos;
            try {
              if (MatchesEmpty(*re)) return Value();
              if (re->fast) {
                const std::string& rep = a[2].AsString();
                std::string out, tail;
                // A bad replacement is an error even when nothing matches.
                if (!AppendReplacement(rep, literal, {}, out)) return Value();
                out.clear();
                if (!ForEachMatch(*re->fast, input, tail, [&](std::string before, const auto& g) {
                      out += before;
                      AppendReplacement(rep, literal, g, out);
                    }))
                  return Value();
                if (!feel::StringFits(out.size() + tail.size())) return Value();
                return out + tail;
              }
              std::wstring rep = ToW(a[2].AsString());
              std::wstring fmt;
              if (literal) {
                for (wchar_t c : rep) fmt += c == L'$' ? std::wstring(L"$$") : std::wstring(1, c);
              } else {
                auto t = TranslateReplacement(rep);
                if (!t) return Value();
                fmt = *t;
              }
              return FromW(std::regex_replace(ToW(input), re->re, fmt));
            } catch (const std::regex_error&) {
              return Value();
            }
          });

  m["split"] = FnU({{"string", "delimiter"}}, [](const Args& a) -> Value {
    if (a.size() != 2 || !IsStr(a[0]) || !IsStr(a[1])) return Value();
    auto re = CompileRegex(a[1].AsString(), Value());
    if (!re) return Value();
    const std::string& input = a[0].AsString();
    if (!MayRun(*re, input)) return Value();
    try {
      if (MatchesEmpty(*re)) return Value();
      List out;
      if (input.empty()) return out;
      if (re->fast) {
        std::string tail;
        if (!ForEachMatch(*re->fast, input, tail,
                          [&](std::string before, const auto&) { out.emplace_back(before); }))
          return Value();
        if (!feel::Spend(out.size())) return Value();
        out.emplace_back(tail);
        return out;
      }
      std::wstring in = ToW(input);
      auto pos = in.cbegin();
      std::wsmatch match;
      auto flags = std::regex_constants::match_default;
      while (pos != in.cend() && std::regex_search(pos, in.cend(), match, re->re, flags)) {
        if (match[0].length() == 0) return Value();
        out.emplace_back(FromW(std::wstring(pos, match[0].first)));
        pos = match[0].second;
        flags = std::regex_constants::match_prev_avail;
      }
      out.emplace_back(FromW(std::wstring(pos, in.cend())));
      return out;
    } catch (const std::regex_error&) {
      return Value();
    }
  });

  m["string join"] = Fn({{"list"}, {"list", "delimiter"}}, [](const Args& a) -> Value {
    if (a.size() != 1 && a.size() != 2) return Value();
    auto items = ListArg(a[0]);
    if (!items) return Value();
    std::string delim;
    if (a.size() == 2) {
      if (IsStr(a[1]))
        delim = a[1].AsString();
      else if (!a[1].IsNull())
        return Value();
    }
    size_t size = 0, parts = 0;  // the joined size first: refused before it is built
    for (const auto& v : *items) {
      if (v.IsNull()) continue;
      if (!IsStr(v)) return Value();
      size += v.AsString().size();
      ++parts;
    }
    if (!feel::StringFits(size + (parts ? parts - 1 : 0) * delim.size())) return Value();
    std::string out;
    out.reserve(size);
    bool first = true;
    for (const auto& v : *items) {
      if (v.IsNull()) continue;
      if (!first) out += delim;
      first = false;
      out += v.AsString();
    }
    return out;
  });

  // ---- List ---------------------------------------------------------------------------------
  m["list contains"] = Fn({{"list", "element"}}, [](const Args& a) -> Value {
    if (a.size() != 2 || !a[0].Is(K::kList)) return Value();
    for (const auto& v : a[0].AsList())
      if (Same(v, a[1])) return true;
    return false;
  });

  m["count"] = Fn({{"list"}}, [](const Args& a) -> Value {
    if (a.size() != 1) return Value();
    auto items = ListArg(a[0]);
    if (!items) return Value();
    return static_cast<int64_t>(items->size());
  });

  auto extreme = [](int want) {
    return [want](const Args& a) -> Value {
      auto items = VarItems(a);
      if (!items || items->empty()) return Value();
      Value best = (*items)[0];
      if (best.IsNull() || !Compare(best, best)) return Value();
      for (size_t i = 1; i < items->size(); ++i) {
        auto c = Compare((*items)[i], best);
        if (!c) return Value();
        if (*c == want) best = (*items)[i];
      }
      return best;
    };
  };
  m["min"] = Fn({{"list"}}, extreme(-1), true);
  m["max"] = Fn({{"list"}}, extreme(1), true);

  m["sum"] = Fn(
      {{"list"}},
      [](const Args& a) -> Value {
        auto items = NumbersOf(a);
        if (!items || items->empty()) return Value();
        Decimal s = 0;
        for (const auto& v : *items) s += v.AsNumber();
        return s;
      },
      true);

  m["mean"] = Fn(
      {{"list"}},
      [](const Args& a) -> Value {
        auto items = NumbersOf(a);
        if (!items || items->empty()) return Value();
        Decimal s = 0;
        for (const auto& v : *items) s += v.AsNumber();
        return Decimal(s / Decimal(static_cast<int64_t>(items->size())));
      },
      true);

  m["product"] = Fn(
      {{"list"}},
      [](const Args& a) -> Value {
        auto items = NumbersOf(a);
        if (!items || items->empty()) return Value();
        Decimal s = 1;
        for (const auto& v : *items) s *= v.AsNumber();
        return s;
      },
      true);

  m["median"] = Fn(
      {{"list"}},
      [](const Args& a) -> Value {
        auto items = NumbersOf(a);
        if (!items || items->empty()) return Value();
        std::vector<Decimal> v;
        for (const auto& x : *items) v.push_back(x.AsNumber());
        std::sort(v.begin(), v.end());
        size_t n = v.size();
        if (n % 2) return v[n / 2];
        return Decimal((v[n / 2 - 1] + v[n / 2]) / 2);
      },
      true);

  m["stddev"] = Fn(
      {{"list"}},
      [](const Args& a) -> Value {
        auto items = NumbersOf(a);
        if (!items || items->size() < 2) return Value();
        Decimal n = static_cast<int64_t>(items->size());
        Decimal mean = 0;
        for (const auto& x : *items) mean += x.AsNumber();
        mean /= n;
        Decimal ss = 0;
        for (const auto& x : *items) ss += (x.AsNumber() - mean) * (x.AsNumber() - mean);
        return Decimal(mp::sqrt(Decimal(ss / (n - 1))));
      },
      true);

  m["mode"] = Fn(
      {{"list"}},
      [](const Args& a) -> Value {
        auto items = NumbersOf(a);
        if (!items) return Value();
        std::vector<std::pair<Decimal, int>> counts;
        for (const auto& x : *items) {
          auto it = std::find_if(counts.begin(), counts.end(),
                                 [&](const auto& p) { return p.first == x.AsNumber(); });
          if (it == counts.end())
            counts.emplace_back(x.AsNumber(), 1);
          else
            ++it->second;
        }
        int best = 0;
        for (const auto& p : counts) best = std::max(best, p.second);
        std::vector<Decimal> modes;
        for (const auto& p : counts)
          if (p.second == best) modes.push_back(p.first);
        std::sort(modes.begin(), modes.end());
        List out;
        for (auto& d : modes) out.emplace_back(d);
        return out;
      },
      true);

  auto boolAgg = [](bool isAll) {
    return [isAll](const Args& a) -> Value {
      auto items = VarItems(a);
      if (!items) return Value();
      bool sawNonBool = false;
      for (const auto& v : *items) {
        if (!v.Is(K::kBoolean)) {
          sawNonBool = true;
          continue;
        }
        if (v.AsBool() != isAll) return !isAll;  // all: a false; any: a true
      }
      if (sawNonBool) return Value();
      return isAll;
    };
  };
  m["all"] = Fn({{"list"}}, boolAgg(true), true);
  m["any"] = Fn({{"list"}}, boolAgg(false), true);

  m["sublist"] = Fn({{"list", "start position"}, {"list", "start position", "length"}},
                    [](const Args& a) -> Value {
                      if (a.size() != 2 && a.size() != 3) return Value();
                      auto items = ListArg(a[0]);
                      if (!items) return Value();
                      auto from = Position(a[1], items->size());
                      if (!from) return Value();
                      size_t len = items->size() - *from;
                      if (a.size() == 3) {
                        auto l = TruncInt(a[2]);
                        if (!l || *l < 0 || static_cast<size_t>(*l) > len) return Value();
                        len = static_cast<size_t>(*l);
                      }
                      return List(items->begin() + static_cast<std::ptrdiff_t>(*from),
                                  items->begin() + static_cast<std::ptrdiff_t>(*from + len));
                    });

  m["append"] = Fn(
      {{"list", "item"}},
      [](const Args& a) -> Value {
        if (a.empty()) return Value();
        auto items = ListArg(a[0]);
        if (!items) return Value();
        for (size_t i = 1; i < a.size(); ++i) items->push_back(a[i]);
        return *items;
      },
      true);

  m["concatenate"] = Fn(
      {{"list"}},
      [](const Args& a) -> Value {
        if (a.empty()) return Value();
        List out;
        for (const auto& v : a) {
          if (!v.Is(K::kList) || !feel::Spend(v.AsList().size())) return Value();
          out.insert(out.end(), v.AsList().begin(), v.AsList().end());
        }
        return out;
      },
      true);

  m["insert before"] = Fn({{"list", "position", "newItem"}}, [](const Args& a) -> Value {
    if (a.size() != 3) return Value();
    auto items = ListArg(a[0]);
    if (!items) return Value();
    auto at = Position(a[1], items->size());
    if (!at) return Value();
    items->insert(items->begin() + static_cast<std::ptrdiff_t>(*at), a[2]);
    return *items;
  });

  m["remove"] = Fn({{"list", "position"}}, [](const Args& a) -> Value {
    if (a.size() != 2) return Value();
    auto items = ListArg(a[0]);
    if (!items) return Value();
    auto at = Position(a[1], items->size());
    if (!at) return Value();
    items->erase(items->begin() + static_cast<std::ptrdiff_t>(*at));
    return *items;
  });

  m["reverse"] = Fn({{"list"}}, [](const Args& a) -> Value {
    if (a.size() != 1) return Value();
    auto items = ListArg(a[0]);
    if (!items) return Value();
    std::reverse(items->begin(), items->end());
    return *items;
  });

  m["index of"] = Fn({{"list", "match"}}, [](const Args& a) -> Value {
    if (a.size() != 2) return Value();
    auto items = ListArg(a[0]);
    if (!items) return Value();
    List out;
    for (size_t i = 0; i < items->size(); ++i)
      if (Same((*items)[i], a[1])) out.emplace_back(static_cast<int64_t>(i + 1));
    return out;
  });

  auto addDistinct = [](List& out, const Value& v) {
    if (!feel::Spend(out.size())) return;  // quadratic: counted, so it stops on long lists
    for (const auto& o : out)
      if (Same(o, v)) return;
    out.push_back(v);
  };

  m["union"] = Fn(
      {{"list"}},
      [addDistinct](const Args& a) -> Value {
        if (a.empty()) return Value();
        List out;
        for (const auto& l : a) {
          auto items = ListArg(l);
          if (!items) return Value();
          for (const auto& v : *items) addDistinct(out, v);
        }
        if (!feel::Spend(0)) return Value();  // cut short: no partial answer
        return out;
      },
      true);

  m["distinct values"] = Fn({{"list"}}, [addDistinct](const Args& a) -> Value {
    if (a.size() != 1) return Value();
    auto items = ListArg(a[0]);
    if (!items) return Value();
    List out;
    for (const auto& v : *items) addDistinct(out, v);
    if (!feel::Spend(0)) return Value();  // cut short: no partial answer
    return out;
  });

  m["flatten"] = Fn({{"list"}}, [](const Args& a) -> Value {
    if (a.size() != 1) return Value();
    auto items = ListArg(a[0]);
    if (!items) return Value();
    List out;
    Flatten(*items, out);
    return out;
  });

  m["sort"] = Fn({{"list"}, {"list", "precedes"}}, [](const Args& a) -> Value {
    if (a.size() != 1 && a.size() != 2) return Value();
    auto items = ListArg(a[0]);
    if (!items) return Value();
    bool ok;
    if (a.size() == 2 && !a[1].IsNull()) {
      if (!IsFunction(a[1]) || !TakesArgs(a[1], 2)) return Value();
      const auto& fn = a[1].AsFunction();
      ok = MergeSort(*items, [&](const Value& x, const Value& y) -> std::optional<bool> {
        Value r = fn->Call({x, y});
        if (!r.Is(K::kBoolean)) return std::nullopt;
        return r.AsBool();
      });
    } else {
      ok = MergeSort(*items, [](const Value& x, const Value& y) -> std::optional<bool> {
        auto c = Compare(x, y);
        if (!c) return std::nullopt;
        return *c < 0;
      });
    }
    if (!ok) return Value();
    return *items;
  });

  m["list replace"] = Fn({{"list", "position", "newItem"}, {"list", "match", "newItem"}},
                         [](const Args& a) -> Value {
                           if (a.size() != 3) return Value();
                           auto items = ListArg(a[0]);
                           if (!items) return Value();
                           if (IsNum(a[1])) {
                             auto at = Position(a[1], items->size());
                             if (!at) return Value();
                             (*items)[*at] = a[2];
                             return *items;
                           }
                           if (!IsFunction(a[1]) || !TakesArgs(a[1], 2)) return Value();
                           const auto& fn = a[1].AsFunction();
                           for (auto& v : *items) {
                             Value r = fn->Call({v, a[2]});
                             if (!r.Is(K::kBoolean)) return Value();
                             if (r.AsBool()) v = a[2];
                           }
                           return *items;
                         });

  // ---- Numeric ------------------------------------------------------------------------------
  m["decimal"] = FnU({{"n", "scale"}}, [](const Args& a) -> Value {
    if (a.size() != 2) return Value();
    return RoundTo(a[0], a[1], Rounding::kHalfEven);
  });
  auto optionalScale = [](Rounding mode) {
    return [mode](const Args& a) -> Value {
      if (a.size() == 1) return RoundTo(a[0], Value(0), mode);
      if (a.size() != 2) return Value();
      return RoundTo(a[0], a[1], mode);
    };
  };
  m["floor"] = FnU({{"n"}, {"n", "scale"}}, optionalScale(Rounding::kFloor));
  m["ceiling"] = FnU({{"n"}, {"n", "scale"}}, optionalScale(Rounding::kCeiling));
  auto withScale = [](Rounding mode) {
    return [mode](const Args& a) -> Value {
      if (a.size() != 2) return Value();
      return RoundTo(a[0], a[1], mode);
    };
  };
  m["round up"] = FnU({{"n", "scale"}}, withScale(Rounding::kUp));
  m["round down"] = FnU({{"n", "scale"}}, withScale(Rounding::kDown));
  m["round half up"] = FnU({{"n", "scale"}}, withScale(Rounding::kHalfUp));
  m["round half down"] = FnU({{"n", "scale"}}, withScale(Rounding::kHalfDown));

  m["abs"] = FnU({{"n"}}, [](const Args& a) -> Value {
    if (a.size() != 1) return Value();
    if (IsNum(a[0])) return Decimal(mp::abs(a[0].AsNumber()));
    if (a[0].Is(K::kDayTimeDuration))
      return DayTimeDuration{Decimal(mp::abs(a[0].AsDayTime().seconds))};
    if (a[0].Is(K::kYearMonthDuration))
      return YearMonthDuration{std::abs(a[0].AsYearMonth().months)};
    return Value();
  });

  m["modulo"] = FnU({{"dividend", "divisor"}}, [](const Args& a) -> Value {
    if (a.size() != 2 || !IsNum(a[0]) || !IsNum(a[1]) || a[1].AsNumber().is_zero()) return Value();
    const Decimal &x = a[0].AsNumber(), &y = a[1].AsNumber();
    Decimal q = mp::floor(Decimal(x / y));
    return Decimal(x - y * q);
  });

  m["sqrt"] = FnU({{"number"}}, [](const Args& a) -> Value {
    if (a.size() != 1 || !IsNum(a[0]) || a[0].AsNumber() < 0) return Value();
    return Decimal(mp::sqrt(a[0].AsNumber()));
  });
  m["log"] = FnU({{"number"}}, [](const Args& a) -> Value {
    if (a.size() != 1 || !IsNum(a[0]) || a[0].AsNumber() <= 0) return Value();
    return Decimal(mp::log(a[0].AsNumber()));
  });
  m["exp"] = FnU({{"number"}}, [](const Args& a) -> Value {
    if (a.size() != 1 || !IsNum(a[0])) return Value();
    if (a[0].AsNumber() > 10000 || a[0].AsNumber() < -10000) return Value();
    return Decimal(mp::exp(a[0].AsNumber()));
  });
  auto parity = [](bool wantOdd) {
    return [wantOdd](const Args& a) -> Value {
      if (a.size() != 1 || !IsNum(a[0]) || !IsInteger(a[0].AsNumber())) return Value();
      Decimal half = a[0].AsNumber() / 2;
      bool even = mp::floor(half) == half;
      return wantOdd ? !even : even;
    };
  };
  m["odd"] = FnU({{"number"}}, parity(true));
  m["even"] = FnU({{"number"}}, parity(false));

  // ---- Date and time ------------------------------------------------------------------------
  m["day of year"] = FnU({{"date"}}, [](const Args& a) -> Value {
    if (a.size() != 1) return Value();
    auto d = DateOf(a[0]);
    if (!d) return Value();
    return DaysFromCivil(d->year, d->month, d->day) - DaysFromCivil(d->year, 1, 1) + 1;
  });
  m["day of week"] = FnU({{"date"}}, [](const Args& a) -> Value {
    if (a.size() != 1) return Value();
    auto d = DateOf(a[0]);
    if (!d) return Value();
    return kDayNames[DayOfWeekIndex(*d)];
  });
  m["month of year"] = FnU({{"date"}}, [](const Args& a) -> Value {
    if (a.size() != 1) return Value();
    auto d = DateOf(a[0]);
    if (!d) return Value();
    return kMonthNames[d->month - 1];
  });
  m["week of year"] = FnU({{"date"}}, [](const Args& a) -> Value {
    if (a.size() != 1) return Value();
    auto d = DateOf(a[0]);
    if (!d) return Value();
    return IsoWeek(*d);
  });
  m["now"] = Fn({{}}, [](const Args& a) -> Value {
    if (!a.empty()) return Value();
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    Decimal secs = Decimal(static_cast<int64_t>(ns / 1000000)) / 1000;
    FTime utc;
    utc.offsetSeconds = 0;
    return FromEpochSeconds(secs, utc);
  });
  m["today"] = Fn({{}}, [](const Args& a) -> Value {
    if (!a.empty()) return Value();
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    return CivilFromDays(days);
  });

  // ---- Range --------------------------------------------------------------------------------
  const std::vector<std::vector<std::string>> kPointRangeSigs = {
      {"point1", "point2"}, {"point", "range"}, {"range", "point"}, {"range1", "range2"}};
  m["before"] = Fn(kPointRangeSigs, Before);
  m["after"] = Fn(kPointRangeSigs, Flipped<Before>);
  m["meets"] = Fn({{"range1", "range2"}}, Meets);
  m["met by"] = Fn({{"range1", "range2"}}, Flipped<Meets>);
  m["overlaps"] = Fn({{"range1", "range2"}}, Overlaps);
  m["overlaps before"] = Fn({{"range1", "range2"}}, OverlapsBefore);
  m["overlaps after"] = Fn({{"range1", "range2"}}, Flipped<OverlapsBefore>);
  m["finishes"] = Fn({{"point", "range"}, {"range1", "range2"}}, Finishes);
  m["finished by"] = Fn({{"range", "point"}, {"range1", "range2"}}, Flipped<Finishes>);
  m["includes"] = Fn({{"range", "point"}, {"range1", "range2"}}, Includes);
  m["during"] = Fn({{"point", "range"}, {"range1", "range2"}}, Flipped<Includes>);
  m["starts"] = Fn({{"point", "range"}, {"range1", "range2"}}, Starts);
  m["started by"] = Fn({{"range", "point"}, {"range1", "range2"}}, Flipped<Starts>);
  m["coincides"] = Fn({{"point1", "point2"}, {"range1", "range2"}}, Coincides);

  m["range"] = FnU({{"from"}}, [](const Args& a) -> Value {
    if (a.size() != 1 || !IsStr(a[0])) return Value();
    return ParseRange(a[0].AsString());
  });

  for (const char* name : {"matches", "replace", "split"}) {
    std::shared_ptr<const Function> inner = m[name].AsFunction();
    m[name] = Fn(inner->Signatures(), [inner](const Args& a) -> Value {
      return RegexGuard(a, [&] { return inner->Call(a); });
    });
  }
  return m;
}

}  // namespace

const std::unordered_map<std::string, Value>& Builtins() {
  static const std::unordered_map<std::string, Value> kBuiltins = Build();
  return kBuiltins;
}

}  // namespace waymark::rules
