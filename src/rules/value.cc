#include "rules/value.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace waymark::rules {

Value::Value(Context c) : v_(std::make_shared<const Context>(std::move(c))) {}
Value::Value(Range r) : v_(std::make_shared<const Range>(std::move(r))) {}

namespace {

class NativeFunction final : public Function {
 public:
  NativeFunction(std::vector<std::vector<std::string>> sigs, NativeFn fn, bool variadic)
      : sigs_(std::move(sigs)), fn_(std::move(fn)), variadic_(variadic) {}
  const std::vector<std::vector<std::string>>& Signatures() const override { return sigs_; }
  bool Variadic() const override { return variadic_; }
  Value Call(const std::vector<Value>& args) const override { return fn_(args); }

 private:
  std::vector<std::vector<std::string>> sigs_;
  NativeFn fn_;
  bool variadic_;
};

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

int Digits2(std::string_view s, size_t at) {
  if (at + 2 > s.size() || !std::isdigit(static_cast<unsigned char>(s[at])) ||
      !std::isdigit(static_cast<unsigned char>(s[at + 1])))
    return -1;
  return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

std::string Pad2(int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld", static_cast<long long>(v));
  return buf;
}

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

}  // namespace

std::shared_ptr<const Function> MakeNativeFunction(std::vector<std::vector<std::string>> sigs,
                                                   NativeFn fn, bool variadic) {
  return std::make_shared<NativeFunction>(std::move(sigs), std::move(fn), variadic);
}

// ---- Decimal ------------------------------------------------------------------------

std::optional<Decimal> ParseDecimal(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  size_t i = 0;
  if (s[i] == '-' || s[i] == '+') ++i;
  size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (i >= s.size() || !AllDigits(s.substr(i))) return std::nullopt;
    i = s.size();
  }
  if (i != s.size()) return std::nullopt;
  try {
    return Decimal(std::string(s[0] == '+' ? s.substr(1) : s));
  } catch (...) {
    return std::nullopt;
  }
}

std::string FormatDecimal(const Decimal& d) {
  if (d.is_zero()) return "0";
  std::string sci = d.str(34, std::ios_base::scientific);  // -d.ddddde+NN
  bool negative = false;
  size_t i = 0;
  if (sci[i] == '-') negative = true, ++i;
  size_t e = sci.find_first_of("eE");
  std::string mantissa;
  for (size_t k = i; k < e; ++k)
    if (std::isdigit(static_cast<unsigned char>(sci[k]))) mantissa += sci[k];
  long exponent = std::stol(sci.substr(e + 1));
  while (mantissa.size() > 1 && mantissa.back() == '0') mantissa.pop_back();
  if (mantissa == "0") return "0";
  std::string out;
  long point = exponent + 1;  // digits before the decimal point
  if (point <= 0) {
    out = "0." + std::string(static_cast<size_t>(-point), '0') + mantissa;
  } else if (static_cast<size_t>(point) >= mantissa.size()) {
    out = mantissa + std::string(static_cast<size_t>(point) - mantissa.size(), '0');
  } else {
    out = mantissa.substr(0, static_cast<size_t>(point)) + "." +
          mantissa.substr(static_cast<size_t>(point));
  }
  return negative ? "-" + out : out;
}

bool IsInteger(const Decimal& d) { return boost::multiprecision::floor(d) == d; }

std::optional<int64_t> ToInt64(const Decimal& d) {
  if (!IsInteger(d) || d > Decimal(INT64_MAX / 2) || d < Decimal(INT64_MIN / 2))
    return std::nullopt;
  return d.convert_to<int64_t>();
}

// ---- Temporal -----------------------------------------------------------------------

int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

FDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return FDate{y + (m <= 2), m, d};
}

static bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
static int DaysInMonth(int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool ValidDate(int64_t y, int m, int d) {
  return m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonth(y, m) && y >= -999999999 && y <= 999999999;
}

std::optional<FDate> ParseDate(std::string_view s) {
  size_t i = 0;
  bool negative = false;
  if (!s.empty() && s[0] == '-') negative = true, ++i;
  size_t start = i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  size_t yearDigits = i - start;
  if (yearDigits < 4 || yearDigits > 9) return std::nullopt;
  if (yearDigits > 4 && s[start] == '0') return std::nullopt;
  if (i + 6 != s.size() || s[i] != '-' || s[i + 3] != '-') return std::nullopt;
  int64_t y = std::stoll(std::string(s.substr(start, yearDigits)));
  if (negative) y = -y;
  int m = Digits2(s, i + 1), d = Digits2(s, i + 4);
  if (m < 0 || d < 0 || !ValidDate(y, m, d)) return std::nullopt;
  return FDate{y, m, d};
}

std::optional<FTime> ParseTime(std::string_view s) {
  FTime t;
  if (s.size() < 8 || s[2] != ':' || s[5] != ':') return std::nullopt;
  t.hour = Digits2(s, 0);
  t.minute = Digits2(s, 3);
  t.second = Digits2(s, 6);
  if (t.hour < 0 || t.minute < 0 || t.second < 0) return std::nullopt;
  size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return std::nullopt;
    std::string frac(s.substr(start, std::min<size_t>(i - start, 9)));
    frac.resize(9, '0');
    t.nanos = std::stoll(frac);
  }
  if (i < s.size()) {
    if (s[i] == 'Z' && i + 1 == s.size()) {
      t.offsetSeconds = 0;
    } else if (s[i] == '@') {
      t.zone = std::string(s.substr(i + 1));
      if (t.zone.empty()) return std::nullopt;
      if (t.zone == "UTC" || t.zone == "Etc/UTC" || t.zone == "GMT") t.offsetSeconds = 0;
    } else if (s[i] == '+' || s[i] == '-') {
      int sign = s[i] == '-' ? -1 : 1;
      int oh = Digits2(s, i + 1);
      if (oh < 0 || i + 3 >= s.size() || s[i + 3] != ':') return std::nullopt;
      int om = Digits2(s, i + 4);
      if (om < 0) return std::nullopt;
      int os = 0;
      if (i + 6 == s.size()) {
      } else if (i + 9 == s.size() && s[i + 6] == ':') {
        os = Digits2(s, i + 7);
        if (os < 0) return std::nullopt;
      } else {
        return std::nullopt;
      }
      if (oh > 14 || om > 59) return std::nullopt;
      t.offsetSeconds = sign * (oh * 3600 + om * 60 + os);
    } else {
      return std::nullopt;
    }
  }
  if (t.hour == 24 && t.minute == 0 && t.second == 0 && t.nanos == 0) t.hour = 0;
  if (t.hour > 23 || t.minute > 59 || t.second > 59) return std::nullopt;
  return t;
}

std::optional<FDateTime> ParseDateTime(std::string_view s) {
  size_t t = s.find('T');
  if (t == std::string_view::npos) return std::nullopt;
  auto d = ParseDate(s.substr(0, t));
  if (!d) return std::nullopt;
  std::string_view ts = s.substr(t + 1);
  bool endOfDay = ts.substr(0, 8) == "24:00:00";
  auto tm = ParseTime(ts);
  if (!tm) return std::nullopt;
  FDateTime out{*d, *tm};
  if (endOfDay) out.date = CivilFromDays(DaysFromCivil(d->year, d->month, d->day) + 1);
  return out;
}

namespace {
struct DurationParts {
  bool negative = false;
  std::optional<int64_t> years, months, days, hours, minutes;
  std::optional<Decimal> seconds;
};
std::optional<DurationParts> ParseDurationParts(std::string_view s) {
  DurationParts p;
  size_t i = 0;
  if (i < s.size() && s[i] == '-') p.negative = true, ++i;
  if (i >= s.size() || s[i] != 'P') return std::nullopt;
  ++i;
  bool inTime = false, any = false, timeAny = false;
  int lastRank = -1;
  while (i < s.size()) {
    if (s[i] == 'T') {
      if (inTime) return std::nullopt;
      inTime = true;
      ++i;
      continue;
    }
    size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (i == start || i >= s.size()) return std::nullopt;
    std::string num(s.substr(start, i - start));
    char unit = s[i++];
    int rank;
    if (!inTime) {
      rank = unit == 'Y' ? 0 : unit == 'M' ? 1 : unit == 'D' ? 2 : -1;
    } else {
      rank = unit == 'H' ? 3 : unit == 'M' ? 4 : unit == 'S' ? 5 : -1;
    }
    if (rank < 0 || rank <= lastRank) return std::nullopt;
    lastRank = rank;
    if (num.find('.') != std::string::npos && rank != 5) return std::nullopt;
    any = true;
    if (inTime) timeAny = true;
    try {
      switch (rank) {
        case 0:
          p.years = std::stoll(num);
          break;
        case 1:
          p.months = std::stoll(num);
          break;
        case 2:
          p.days = std::stoll(num);
          break;
        case 3:
          p.hours = std::stoll(num);
          break;
        case 4:
          p.minutes = std::stoll(num);
          break;
        case 5: {
          auto d = ParseDecimal(num);
          if (!d) return std::nullopt;
          p.seconds = *d;
          break;
        }
      }
    } catch (...) {
      return std::nullopt;
    }
  }
  if (!any || (inTime && !timeAny)) return std::nullopt;
  return p;
}
}  // namespace

std::optional<DayTimeDuration> ParseDayTimeDuration(std::string_view s) {
  auto p = ParseDurationParts(s);
  if (!p || p->years || p->months) return std::nullopt;
  Decimal total = Decimal(p->days.value_or(0)) * 86400 + Decimal(p->hours.value_or(0)) * 3600 +
                  Decimal(p->minutes.value_or(0)) * 60 + p->seconds.value_or(Decimal(0));
  return DayTimeDuration{p->negative ? Decimal(-total) : total};
}

std::optional<YearMonthDuration> ParseYearMonthDuration(std::string_view s) {
  auto p = ParseDurationParts(s);
  if (!p || p->days || p->hours || p->minutes || p->seconds) return std::nullopt;
  int64_t m = p->years.value_or(0) * 12 + p->months.value_or(0);
  return YearMonthDuration{p->negative ? -m : m};
}

Value ParseTemporal(std::string_view s) {
  if (auto d = ParseDate(s)) return *d;
  if (auto dt = ParseDateTime(s)) return *dt;
  if (auto t = ParseTime(s)) return *t;
  if (auto ym = ParseYearMonthDuration(s)) return *ym;
  if (auto dt = ParseDayTimeDuration(s)) return *dt;
  return Value();
}

std::string FormatDate(const FDate& d) {
  char buf[48];
  int64_t y = d.year < 0 ? -d.year : d.year;
  std::snprintf(buf, sizeof buf, "%s%04lld-%02d-%02d", d.year < 0 ? "-" : "",
                static_cast<long long>(y), d.month, d.day);
  return buf;
}

std::string FormatTime(const FTime& t) {
  std::string out = Pad2(t.hour) + ":" + Pad2(t.minute) + ":" + Pad2(t.second);
  if (t.nanos) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%09lld", static_cast<long long>(t.nanos));
    std::string frac = buf;
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  if (!t.zone.empty()) {
    out += "@" + t.zone;
  } else if (t.offsetSeconds) {
    int o = *t.offsetSeconds;
    if (o == 0) {
      out += "Z";
    } else {
      out += o < 0 ? "-" : "+";
      o = std::abs(o);
      out += Pad2(o / 3600) + ":" + Pad2((o / 60) % 60);
      if (o % 60) out += ":" + Pad2(o % 60);
    }
  }
  return out;
}

std::string FormatDateTime(const FDateTime& t) {
  return FormatDate(t.date) + "T" + FormatTime(t.time);
}

std::string FormatDuration(const DayTimeDuration& d) {
  Decimal s = d.seconds;
  bool negative = s < 0;
  if (negative) s = -s;
  Decimal whole = boost::multiprecision::floor(s);
  Decimal frac = s - whole;
  int64_t total = whole.convert_to<int64_t>();
  int64_t days = total / 86400, hours = (total / 3600) % 24, minutes = (total / 60) % 60,
          secs = total % 60;
  std::string out = negative ? "-P" : "P";
  if (days) out += std::to_string(days) + "D";
  if (hours || minutes || secs || !frac.is_zero()) {
    out += "T";
    if (hours) out += std::to_string(hours) + "H";
    if (minutes) out += std::to_string(minutes) + "M";
    if (secs || !frac.is_zero()) out += FormatDecimal(Decimal(secs) + frac) + "S";
  }
  if (out == "P" || out == "-P") return "PT0S";
  return out;
}

std::string FormatDuration(const YearMonthDuration& d) {
  int64_t m = d.months;
  bool negative = m < 0;
  if (negative) m = -m;
  std::string out = negative ? "-P" : "P";
  if (m / 12) out += std::to_string(m / 12) + "Y";
  if (m % 12 || m == 0) out += std::to_string(m % 12) + "M";
  return m == 0 ? "P0M" : out;
}

Decimal DaySeconds(const FTime& t) {
  Decimal s = Decimal(t.hour * 3600 + t.minute * 60 + t.second) + Decimal(t.nanos) / 1000000000;
  if (t.offsetSeconds) s -= *t.offsetSeconds;
  return s;
}

Decimal EpochSeconds(const FDateTime& t) {
  return Decimal(DaysFromCivil(t.date.year, t.date.month, t.date.day)) * 86400 + DaySeconds(t.time);
}

FDateTime FromEpochSeconds(const Decimal& s, const FTime& zoneLike) {
  Decimal local = s + Decimal(zoneLike.offsetSeconds.value_or(0));
  Decimal whole = boost::multiprecision::floor(local);
  int64_t total = whole.convert_to<int64_t>();
  int64_t days = total >= 0 ? total / 86400 : -((-total + 86399) / 86400);
  int64_t rem = total - days * 86400;
  FDateTime out;
  out.date = CivilFromDays(days);
  out.time.hour = static_cast<int>(rem / 3600);
  out.time.minute = static_cast<int>((rem / 60) % 60);
  out.time.second = static_cast<int>(rem % 60);
  out.time.nanos = ((local - whole) * 1000000000).convert_to<int64_t>();
  out.time.offsetSeconds = zoneLike.offsetSeconds;
  out.time.zone = zoneLike.zone;
  return out;
}

Value AddMonths(const Value& v, int64_t months) {
  const FDate& d = v.Is(Value::Kind::kDate) ? v.AsDate() : v.AsDateTime().date;
  int64_t total = d.year * 12 + (d.month - 1) + months;
  int64_t y = total >= 0 ? total / 12 : -((-total + 11) / 12);
  int m = static_cast<int>(total - y * 12) + 1;
  if (y < -999999999 || y > 999999999) return Value();
  FDate out{y, m, std::min(d.day, DaysInMonth(y, m))};
  if (v.Is(Value::Kind::kDate)) return out;
  return FDateTime{out, v.AsDateTime().time};
}

// ---- Equality and order -------------------------------------------------------------

namespace {
std::optional<int> CompareTimes(const FTime& a, const FTime& b) {
  if (a.offsetSeconds.has_value() != b.offsetSeconds.has_value()) {
    // One local, one with an offset: compare as if both were UTC (the TCK's reading).
  }
  return Cmp(DaySeconds(a), DaySeconds(b));
}
std::optional<int> CompareDateTimes(const FDateTime& a, const FDateTime& b) {
  return Cmp(EpochSeconds(a), EpochSeconds(b));
}
}  // namespace

std::optional<bool> Equal(const Value& a, const Value& b) {
  using K = Value::Kind;
  if (a.IsNull() || b.IsNull()) return a.IsNull() && b.IsNull();
  if (a.kind() != b.kind()) return std::nullopt;
  switch (a.kind()) {
    case K::kBoolean:
      return a.AsBool() == b.AsBool();
    case K::kString:
      return a.AsString() == b.AsString();
    case K::kNumber:
      return a.AsNumber() == b.AsNumber();
    case K::kDate:
      return a.AsDate().year == b.AsDate().year && a.AsDate().month == b.AsDate().month &&
             a.AsDate().day == b.AsDate().day;
    case K::kTime: {
      const auto &x = a.AsTime(), &y = b.AsTime();
      if (x.offsetSeconds.has_value() != y.offsetSeconds.has_value()) return false;
      return DaySeconds(x) == DaySeconds(y);
    }
    case K::kDateTime: {
      const auto &x = a.AsDateTime(), &y = b.AsDateTime();
      if (x.time.offsetSeconds.has_value() != y.time.offsetSeconds.has_value()) return false;
      if (!x.time.zone.empty() || !y.time.zone.empty()) {
        if (x.time.zone != y.time.zone) return false;
      }
      return EpochSeconds(x) == EpochSeconds(y);
    }
    case K::kDayTimeDuration:
      return a.AsDayTime().seconds == b.AsDayTime().seconds;
    case K::kYearMonthDuration:
      return a.AsYearMonth().months == b.AsYearMonth().months;
    case K::kList: {
      const List &x = a.AsList(), &y = b.AsList();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        auto e = Equal(x[i], y[i]);
        if (!e) return std::nullopt;
        if (!*e) return false;
      }
      return true;
    }
    case K::kContext: {
      const Context &x = a.AsContext(), &y = b.AsContext();
      if (x.entries.size() != y.entries.size()) return false;
      for (const auto& [k, v] : x.entries) {
        const Value* o = y.Find(k);
        if (!o) return false;
        auto e = Equal(v, *o);
        if (!e) return std::nullopt;
        if (!*e) return false;
      }
      return true;
    }
    case K::kRange: {
      const Range &x = a.AsRange(), &y = b.AsRange();
      auto s = Equal(x.start, y.start), e = Equal(x.end, y.end);
      return s.value_or(false) && e.value_or(false) && x.startIncluded == y.startIncluded &&
             x.endIncluded == y.endIncluded;
    }
    case K::kFunction:
      return a.AsFunction() == b.AsFunction();
    default:
      return std::nullopt;
  }
}

std::optional<int> Compare(const Value& a, const Value& b) {
  using K = Value::Kind;
  if (a.IsNull() || b.IsNull() || a.kind() != b.kind()) return std::nullopt;
  switch (a.kind()) {
    case K::kNumber:
      return Cmp(a.AsNumber(), b.AsNumber());
    case K::kString:
      return Cmp(a.AsString(), b.AsString());
    case K::kDate: {
      const auto &x = a.AsDate(), &y = b.AsDate();
      return Cmp(std::tuple(x.year, x.month, x.day), std::tuple(y.year, y.month, y.day));
    }
    case K::kTime:
      return CompareTimes(a.AsTime(), b.AsTime());
    case K::kDateTime:
      return CompareDateTimes(a.AsDateTime(), b.AsDateTime());
    case K::kDayTimeDuration:
      return Cmp(a.AsDayTime().seconds, b.AsDayTime().seconds);
    case K::kYearMonthDuration:
      return Cmp(a.AsYearMonth().months, b.AsYearMonth().months);
    default:
      return std::nullopt;
  }
}

bool SameValue(const Value& a, const Value& b, double tolerance) {
  using K = Value::Kind;
  if (a.kind() == K::kNumber && b.kind() == K::kNumber) {
    Decimal diff = boost::multiprecision::abs(a.AsNumber() - b.AsNumber());
    return diff <= Decimal(tolerance);
  }
  if (a.kind() == K::kList && b.kind() == K::kList) {
    const List &x = a.AsList(), &y = b.AsList();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!SameValue(x[i], y[i], tolerance)) return false;
    return true;
  }
  if (a.kind() == K::kContext && b.kind() == K::kContext) {
    const Context &x = a.AsContext(), &y = b.AsContext();
    if (x.entries.size() != y.entries.size()) return false;
    for (const auto& [k, v] : x.entries) {
      const Value* o = y.Find(k);
      if (!o || !SameValue(v, *o, tolerance)) return false;
    }
    return true;
  }
  if (a.kind() == K::kDateTime && b.kind() == K::kDateTime) {
    const auto &x = a.AsDateTime(), &y = b.AsDateTime();
    return FormatDateTime(x) == FormatDateTime(y) || Equal(a, b).value_or(false);
  }
  return Equal(a, b).value_or(false);
}

const char* KindName(Value::Kind k) {
  switch (k) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBoolean:
      return "boolean";
    case Value::Kind::kNumber:
      return "number";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kDate:
      return "date";
    case Value::Kind::kTime:
      return "time";
    case Value::Kind::kDateTime:
      return "date and time";
    case Value::Kind::kDayTimeDuration:
      return "days and time duration";
    case Value::Kind::kYearMonthDuration:
      return "years and months duration";
    case Value::Kind::kList:
      return "list";
    case Value::Kind::kContext:
      return "context";
    case Value::Kind::kRange:
      return "range";
    case Value::Kind::kFunction:
      return "function";
  }
  return "?";
}

std::string ToFeelString(const Value& v) {
  using K = Value::Kind;
  switch (v.kind()) {
    case K::kNull:
      return "null";
    case K::kBoolean:
      return v.AsBool() ? "true" : "false";
    case K::kNumber:
      return FormatDecimal(v.AsNumber());
    case K::kString:
      return v.AsString();
    case K::kDate:
      return FormatDate(v.AsDate());
    case K::kTime:
      return FormatTime(v.AsTime());
    case K::kDateTime:
      return FormatDateTime(v.AsDateTime());
    case K::kDayTimeDuration:
      return FormatDuration(v.AsDayTime());
    case K::kYearMonthDuration:
      return FormatDuration(v.AsYearMonth());
    case K::kList: {
      std::string out = "[";
      bool first = true;
      for (const auto& e : v.AsList()) {
        if (!first) out += ", ";
        first = false;
        out += ToFeelLiteral(e);
      }
      return out + "]";
    }
    case K::kContext: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, e] : v.AsContext().entries) {
        if (!first) out += ", ";
        first = false;
        out += k + ": " + ToFeelLiteral(e);
      }
      return out + "}";
    }
    case K::kRange: {
      const Range& r = v.AsRange();
      if (r.start.IsNull()) return std::string(r.endIncluded ? "<=" : "<") + ToFeelLiteral(r.end);
      if (r.end.IsNull()) return std::string(r.startIncluded ? ">=" : ">") + ToFeelLiteral(r.start);
      return std::string(r.startIncluded ? "[" : "(") + ToFeelLiteral(r.start) + ".." +
             ToFeelLiteral(r.end) + (r.endIncluded ? "]" : ")");
    }
    case K::kFunction:
      return "function";
  }
  return "";
}

std::string ToFeelLiteral(const Value& v) {
  using K = Value::Kind;
  switch (v.kind()) {
    case K::kString: {
      std::string out = "\"";
      for (char c : v.AsString()) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + "\"";
    }
    case K::kDate:
    case K::kTime:
    case K::kDateTime:
    case K::kDayTimeDuration:
    case K::kYearMonthDuration:
      return "@\"" + ToFeelString(v) + "\"";
    default:
      return ToFeelString(v);
  }
}

}  // namespace waymark::rules
