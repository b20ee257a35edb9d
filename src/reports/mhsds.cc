#include "reports/mhsds.h"

#include <fstream>
#include <set>

#include "domain/triage_input.h"
#include "security/tokens.h"

namespace waymark::reports {
namespace {

using nlohmann::json;

std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool Has(const json& list, const char* code) {
  if (!list.is_array()) return false;
  for (const auto& v : list) {
    if (v == code) return true;
  }
  return false;
}

std::string DateOf(domain::Timestamp t) { return domain::FormatDate(domain::DateOf(t)); }

}  // namespace

std::string PrimaryReason(const json& s) {
  const json& needs = s.value("needs", json::array());
  const json& risks = s.value("risks", json::array());
  const json& context = s.value("context", json::array());
  if (Has(risks, "suicide-plan") || Has(risks, "suicide-attempt") ||
      Has(risks, "acute-psychosis") || Has(context, "in-emergency-department")) {
    return "18";  // in crisis
  }
  // Needs in the order a clinician would name the main reason.
  static const std::vector<std::pair<const char*, const char*>> kMap = {
      {"psychosis", "01"},
      {"bipolar", "03"},
      {"eating-disorder", "12"},
      {"depression", "04"},
      {"ocd", "06"},
      {"trauma", "11"},
      {"self-harm", "15"},
      {"anxiety", "05"},
      {"panic", "05"},
      {"phobia", "07"},
      {"substance-use", "09"},
      {"conduct", "16"},
      {"gender-identity", "20"},
      {"attachment", "21"},
      {"adhd", "24"},
      {"neurodevelopmental", "24"},
      {"autism", "25"},
      {"low-mood", "04"},
      {"family-relationships", "19"},
      {"illness-coping", "23"},
      {"bereavement", "23"}};
  for (const auto& [need, code] : kMap) {
    if (Has(needs, need))
      return need == std::string("autism") && Has(context, "autism-diagnosed") ? "26" : code;
  }
  return "";
}

Result<MhsdsExport> BuildMhsds(store::Store& store, const directory::Area& area,
                               const std::string& month) {
  auto first = domain::ParseDate(month + "-01");
  if (month.size() != 7 || !first) {
    return Status::Invalid("Give the month as YYYY-MM.", {{"month", "must be like 2026-10"}});
  }
  domain::Date next = *first;
  if (++next.month > 12) {
    next.month = 1;
    ++next.year;
  }
  auto start =
      domain::Timestamp(std::chrono::sys_days(std::chrono::days(domain::DaysFromEpoch(*first))));
  auto end =
      domain::Timestamp(std::chrono::sys_days(std::chrono::days(domain::DaysFromEpoch(next))));

  MhsdsFile mpi{"MHS001MPI.csv",
                {"LocalPatientId", "NHSNumber", "NHSNumberStatus", "PersonBirthDate",
                 "GenderIDCode", "EthnicCategory", "Postcode", "OrgIDEduEstab"},
                {}};
  MhsdsFile ref{"MHS101Referral.csv",
                {"ServiceRequestId", "LocalPatientId", "ReferralRequestReceivedDate",
                 "SourceOfReferralMH", "OrgIDReferring", "ClinRespPriorityType",
                 "PrimReasonReferralMH", "ServDischDate", "AgeServReferRecDate"},
                {}};
  MhsdsFile svc{
      "MHS102ServiceTypeReferredTo.csv",
      {"ServiceRequestId", "ServTeamTypeRefToMH", "ReferClosureDate", "ReferRejectionDate"},
      {}};
  MhsdsFile con{"MHS201CareContact.csv",
                {"CareContactId", "ServiceRequestId", "CareContDate", "CareContTime",
                 "AttendStatus", "ConsMechanismMH"},
                {}};
  MhsdsExport out;
  std::set<std::string> in_scope;
  std::set<std::string> patients;
  auto st = store.ForEachReferral([&](const store::ReferralRow& r) {
    if (r.receivedAt >= end) return;
    bool closed = r.status == "discharged" || r.status == "transferred" || r.status == "closed";
    if (closed && r.updatedAt < start) return;
    in_scope.insert(r.reference);
    const json& s = r.submission;
    const json& yp = s.value("youngPerson", json::object());
    std::string nhs = yp.value("nhsNumber", "");
    // A stable local id: from the NHS number when known (one person, many referrals), else
    // from the referral.
    std::string local = "LP" + security::HashSecret(nhs.empty() ? r.reference : nhs).substr(0, 16);
    if (patients.insert(local).second) {
      mpi.rows.push_back({local, nhs, nhs.empty() ? "07" : "02", yp.value("dateOfBirth", ""),
                          r.gender, r.ethnicCategory, yp.value("postcode", ""), ""});
    }
    std::string prio;
    if (auto p = domain::ParsePriority(r.priority))
      prio = std::to_string(domain::ClinRespPriorityType(*p));
    std::string reason = PrimaryReason(s);
    std::string discharge = closed && r.status != "closed" ? DateOf(r.updatedAt) : "";
    ref.rows.push_back({r.reference, local, DateOf(r.receivedAt), r.source, "", prio, reason,
                        discharge, std::to_string(r.ageOnReceipt)});
    if (reason.empty())
      out.dataQuality.push_back(r.reference +
                                ",PrimReasonReferralMH,missing: no primary reason for referral");
    if (prio.empty())
      out.dataQuality.push_back(r.reference + ",ClinRespPriorityType,missing: not triaged yet");
    if (r.gender.empty()) out.dataQuality.push_back(r.reference + ",GenderIDCode,missing");
    if (r.ethnicCategory.empty())
      out.dataQuality.push_back(r.reference + ",EthnicCategory,missing");
    if (nhs.empty())
      out.dataQuality.push_back(r.reference + ",NHSNumber,missing (NHSNumberStatus 07)");
    if (!r.serviceId.empty()) {
      const auto* service = area.directory().Find(r.serviceId);
      svc.rows.push_back(
          {r.reference, service ? service->team_type : "", closed ? DateOf(r.updatedAt) : "", ""});
    }
  });
  if (!st.ok()) return st;
  // Declines in or before the month are service-type rows with a rejection date.
  store::ReportRange until{domain::Timestamp{}, end};
  st = store.ForEachEvent({"referral.declined"}, until, [&](const store::Event& e) {
    if (!in_scope.count(e.reference)) return;
    const auto* service = area.directory().Find(e.data.value("serviceId", ""));
    svc.rows.push_back({e.reference, service ? service->team_type : "", "", DateOf(e.at)});
  });
  if (!st.ok()) return st;
  st = store.ForEachContact({start, end}, [&](const store::ContactRow& c, int) {
    std::string ts = domain::FormatTimestamp(c.bookedFor);
    con.rows.push_back(
        {c.id, c.reference, ts.substr(0, 10), ts.substr(11, 8), c.attendStatus, c.mechanism});
  });
  if (!st.ok()) return st;
  // MHS606 coded score assessments: Waymark records no outcome questionnaires yet, so the file
  // has its header and no rows, and the data-quality report says why (docs/metrics.md).
  MhsdsFile scores{"MHS606CodedScoreAssessmentRefer.csv",
                   {"ServiceRequestId", "LocalPatientId", "CodedAssToolType", "PersScore",
                    "AssToolCompTimestamp"},
                   {}};
  out.dataQuality.push_back(
      ",MHS606,no coded assessments recorded yet: Waymark does not collect outcome "
      "questionnaires yet; the file has its header and no rows");
  out.files = {std::move(mpi), std::move(ref), std::move(svc), std::move(con), std::move(scores)};
  return out;
}

Status WriteMhsds(const MhsdsExport& e, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Unavailable("cannot create " + dir.string() + ": " + ec.message());
  auto write = [&](const std::string& name, const std::vector<std::string>& cols,
                   const std::vector<std::vector<std::string>>& rows) -> Status {
    std::ofstream f(dir / name);
    for (size_t i = 0; i < cols.size(); ++i) f << (i ? "," : "") << Csv(cols[i]);
    f << "\n";
    for (const auto& r : rows) {
      for (size_t i = 0; i < r.size(); ++i) f << (i ? "," : "") << Csv(r[i]);
      f << "\n";
    }
    if (!f) return Status::Unavailable("cannot write " + (dir / name).string());
    return Status::Ok();
  };
  for (const auto& file : e.files) {
    if (auto st = write(file.name, file.columns, file.rows); !st.ok()) return st;
  }
  std::vector<std::vector<std::string>> dq;
  for (const auto& line : e.dataQuality) {
    auto a = line.find(','), b = line.find(',', a + 1);
    dq.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  return write("DataQuality.csv", {"ServiceRequestId", "Item", "Problem"}, dq);
}

}  // namespace waymark::reports
