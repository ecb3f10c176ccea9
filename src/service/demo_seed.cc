// service/demo_seed.cc — the invented Riverside partnership and its synthetic 360 campaign.
// The people, organisations and comments are tables below; who rates whom and what they answer
// are drawn from one std::mt19937 through hand-written distributions (the standard library's
// distributions differ between implementations, so a seed would not give the same demo
// everywhere). Every record is made through the services, in a fixed order.
#include "service/demo_seed.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <numbers>
#include <optional>
#include <random>
#include <set>
#include <string_view>
#include <utility>

#include "model/person.h"
#include "service/demo_plan_seed.h"
#include "storage/directory_store.h"

namespace trellis::service {
namespace {

using model::RaterGroup;

constexpr char kActor[] = "cli";
constexpr char kCampaignPrefix[] = "Integrated leadership 360";

// --- the partnership ---

struct OrganisationSpec {
  const char* key;
  const char* name;
  const char* sector;  // wire name
  const char* domain;  // email domain of its staff
};

constexpr OrganisationSpec kOrganisations[] = {
    {"hosp", "Riverside University Hospitals NHS Trust", "acute", "riverside-hospitals.example"},
    {"pcn", "Northgate Primary Care Network", "primary_care", "northgate-pcn.example"},
    {"comm", "Riverside Community Health", "community_health", "riverside-community.example"},
    {"asc", "Riverside County Council Adult Social Care", "social_care",
     "riverside-council.example"},
    {"mind", "Riverside Mind", "voluntary", "riverside-mind.example"},
    {"hsg", "Riverside Housing Association", "housing", "riverside-housing.example"},
};

struct PersonSpec {
  const char* key;
  const char* name;
  const char* organisation;  // OrganisationSpec key
  const char* level;         // wire names
  const char* function;
  const char* manager;  // PersonSpec key, listed earlier, or nullptr
};

// 40 managers: 12 strategic, 28 operational; each organisation's head first.
constexpr PersonSpec kPeople[] = {
    {"h1", "Helen Whitmore", "hosp", "strategic", "generalist", nullptr},
    {"h2", "Rajesh Patel", "hosp", "strategic", "finance", "h1"},
    {"h3", "Amara Okafor", "hosp", "strategic", "clinical", "h1"},
    {"h4", "Siobhan Kelly", "hosp", "operational", "clinical", "h3"},
    {"h5", "Tom Hughes", "hosp", "operational", "generalist", "h1"},
    {"h6", "Priya Sharma", "hosp", "operational", "data", "h2"},
    {"h7", "Gareth Evans", "hosp", "operational", "it", "h2"},
    {"h8", "Fatima Begum", "hosp", "operational", "hr", "h1"},
    {"h9", "Chloe Martin", "hosp", "operational", "clinical", "h3"},
    {"h10", "Daniel Mensah", "hosp", "operational", "generalist", "h5"},
    {"p1", "Sarah Lewis", "pcn", "strategic", "clinical", nullptr},
    {"p2", "Imran Hussain", "pcn", "strategic", "generalist", "p1"},
    {"p3", "Megan Jones", "pcn", "operational", "generalist", "p2"},
    {"p4", "Kwame Asante", "pcn", "operational", "generalist", "p1"},
    {"p5", "Laura Fitzgerald", "pcn", "operational", "finance", "p2"},
    {"p6", "Zainab Ali", "pcn", "operational", "generalist", "p2"},
    {"c1", "Jonathan Reid", "comm", "strategic", "generalist", nullptr},
    {"c2", "Bronwen Price", "comm", "strategic", "clinical", "c1"},
    {"c3", "Marcus Campbell", "comm", "operational", "clinical", "c2"},
    {"c4", "Aisha Rahman", "comm", "operational", "generalist", "c1"},
    {"c5", "Ewan MacLeod", "comm", "operational", "data", "c1"},
    {"c6", "Grace Adeyemi", "comm", "operational", "clinical", "c2"},
    {"c7", "Hannah Walsh", "comm", "operational", "generalist", "c1"},
    {"s1", "Catherine Doyle", "asc", "strategic", "generalist", nullptr},
    {"s2", "Olumide Bakare", "asc", "strategic", "finance", "s1"},
    {"s3", "Rebecca Thornton", "asc", "strategic", "generalist", "s1"},
    {"s4", "Liam O'Connor", "asc", "operational", "generalist", "s3"},
    {"s5", "Nadia Kowalski", "asc", "operational", "hr", "s1"},
    {"s6", "Samuel Osei", "asc", "operational", "generalist", "s3"},
    {"s7", "Yasmin Chowdhury", "asc", "operational", "data", "s2"},
    {"s8", "Peter Nowak", "asc", "operational", "it", "s2"},
    {"m1", "Deborah Clarke", "mind", "strategic", "generalist", nullptr},
    {"m2", "Ravi Gill", "mind", "operational", "generalist", "m1"},
    {"m3", "Eilidh Fraser", "mind", "operational", "generalist", "m1"},
    {"m4", "Jamal Ahmed", "mind", "operational", "finance", "m1"},
    {"r1", "Michael Brennan", "hsg", "strategic", "generalist", nullptr},
    {"r2", "Joanne Baptiste", "hsg", "operational", "generalist", "r1"},
    {"r3", "Adebayo Ogunleye", "hsg", "operational", "generalist", "r1"},
    {"r4", "Ceri Morgan", "hsg", "operational", "finance", "r1"},
    {"r5", "Sophie Turner", "hsg", "operational", "generalist", "r1"},
};

// How a subject sees themselves against how others see them.
enum class SelfView { kFair, kInflated, kDeflated };

struct SubjectSpec {
  const char* person;  // PersonSpec key
  SelfView self_view;
  bool low_capacity;  // the context check says they lack the time and resources
  int peers;          // 0: 3–5 drawn; else exactly this many (2: too few to show the group)
};

constexpr SubjectSpec kSubjects[] = {
    {"h2", SelfView::kInflated, false, 0}, {"h3", SelfView::kFair, false, 0},
    {"h4", SelfView::kDeflated, true, 0},  {"h5", SelfView::kFair, false, 0},
    {"h6", SelfView::kFair, false, 2},     {"h8", SelfView::kFair, false, 0},
    {"p2", SelfView::kInflated, false, 0}, {"p3", SelfView::kFair, true, 0},
    {"p4", SelfView::kFair, false, 0},     {"c2", SelfView::kFair, false, 0},
    {"c3", SelfView::kFair, true, 0},      {"c4", SelfView::kDeflated, false, 0},
    {"c7", SelfView::kFair, false, 0},     {"s2", SelfView::kFair, false, 0},
    {"s3", SelfView::kFair, false, 0},     {"s4", SelfView::kInflated, false, 0},
    {"s6", SelfView::kFair, true, 0},      {"m2", SelfView::kFair, false, 2},
    {"r2", SelfView::kDeflated, true, 0},  {"r4", SelfView::kFair, false, 0},
};

// Community raters: citizens and community partners, known only by name and email.
struct ExternalSpec {
  const char* name;
  const char* email;
};
constexpr ExternalSpec kCommunityRaters[] = {
    {"Margaret Ellis", "margaret.ellis@riverside-carers.example"},
    {"Bukola Adebayo", "bukola.adebayo@healthwatch-riverside.example"},
    {"Iain Stewart", "iain.stewart@northgate-ppg.example"},
    {"Shirin Hosseini", "shirin.hosseini@riverside-refugee-network.example"},
    {"Pauline Graham", "pauline.graham@riverside-carers.example"},
    {"Tomasz Zielinski", "tomasz.zielinski@eastfield-residents.example"},
    {"Kerry-Ann Thomas", "kerry-ann.thomas@healthwatch-riverside.example"},
    {"Desmond Okoro", "desmond.okoro@eastfield-residents.example"},
};

// Team members who rate their manager but are not managers in the directory themselves.
constexpr const char* kTeamFirstNames[] = {
    "Olivia", "Jack",  "Amelia", "Mohammed", "Isla",    "Oliver", "Ava",   "Harry",
    "Nia",    "Ethan", "Leah",   "Arjun",    "Ruby",    "Kai",    "Maya",  "Callum",
    "Ellie",  "Tariq", "Freya",  "Connor",   "Abigail", "Yusuf",  "Niamh", "Reece"};
constexpr const char* kTeamLastNames[] = {"Brown",    "Wilson", "Khan",   "Roberts", "Thompson",
                                          "Murphy",   "Wright", "Green",  "Hall",    "Mistry",
                                          "Robinson", "Wood",   "Bailey", "Nwosu",   "Rees",
                                          "Parry",    "Iqbal",  "Lloyd",  "Francis", "Dunn"};

struct AccountSpec {
  const char* email;  // nullptr: the linked person's email
  model::Role role;
  const char* display_name;
  const char* about;
  const char* person;  // PersonSpec key, or nullptr
};

constexpr AccountSpec kAccounts[] = {
    {"admin@riverside.example", model::Role::kAdmin, "Ruth Ellison", "partnership OD lead (admin)",
     nullptr},
    {"board@riverside.example", model::Role::kBoard, "Cllr Anne Fairley",
     "partnership board member", nullptr},
    {nullptr, model::Role::kMember, "Siobhan Kelly", "a manager being assessed (member)", "h4"},
};

// --- comments, in raters' plain words ---

struct DomainComments {
  const char* domain;
  const char* positive[2];
  const char* developmental[2];
};

constexpr DomainComments kComments[] = {
    {"SYS",
     {"Knows the discharge pathway end to end, including the parts the council and the voluntary "
      "sector run.",
      "Always brings the picture of who actually uses our services and where they fall through "
      "the gaps."},
     {"Sees things mainly from their own organisation's side; time with partners' teams would "
      "help.",
      "Could say more about how pressures in primary care and social care affect what we ask of "
      "them."}},
    {"SHL",
     {"Happy to let others lead when they are better placed, and says so openly.",
      "Takes ownership of shared problems rather than waiting for someone else to."},
     {"Tends to step back when a problem belongs to no one organisation.",
      "Could involve the team more in decisions rather than holding on to them."}},
    {"REL",
     {"Does what they say they will do, and partners trust them for it.",
      "Handles disagreement calmly and keeps people talking."},
     {"Can come across as defensive when other organisations raise concerns.",
      "Meetings with partners sometimes end with the tension unresolved."}},
    {"COD",
     {"Makes sure people with lived experience are in the room from the start, not just "
      "consulted at the end.",
      "Works well with the voluntary sector and treats them as equal partners."},
     {"Engagement with people who use services feels like box-ticking at times.",
      "Could bring community groups in earlier, while there is still something to shape."}},
    {"NET",
     {"Good at getting the right people round the table and keeping them there.",
      "Persuades rather than instructs, and people follow."},
     {"Relies on formal authority, which works less well with partners who don't report to them.",
      "Decisions sometimes get made outside the joint meeting."}},
    {"ACC",
     {"Always clear about who is deciding what and who will report back.",
      "Holds partners to account without making it personal."},
     {"Actions from joint meetings often lack a named owner and a date.",
      "It isn't always clear who is accountable when joint work slips."}},
    {"DAT",
     {"Uses the shared dashboard to ask questions, not to find someone to blame.",
      "Looks at trends over time instead of reacting to last month's number."},
     {"Reacts to single data points; a run chart would help tell signal from noise.",
      "Would benefit from support to use the shared data we now have."}},
    {"RES",
     {"Stays steady under pressure and looks after the team while doing it.",
      "Keeps improvements going after the first push."},
     {"Changes tend to fade once attention moves elsewhere.",
      "Could look after themselves better; the team notices when they are running on empty."}},
};

// For subjects who have the skill but not the room (low capacity), under SHL.
constexpr const char* kNoRoomComments[] = {
    "Has the skills for partnership work but no protected time for it; it always comes second to "
    "operational pressure.",
    "Would do much more across organisations if the team weren't carrying two vacancies.",
    "Gets pulled back into firefighting every time the joint work starts to move.",
};

// Partnership-wide pattern in the true levels: data and accountability are the known gaps in
// integrated care (the research behind Trellis), relationships a relative strength.
double DomainShift(std::string_view domain) {
  if (domain == "DAT") return -0.35;
  if (domain == "ACC") return -0.25;
  if (domain == "COD") return -0.15;
  if (domain == "REL") return 0.2;
  if (domain == "RES") return 0.1;
  return 0.0;
}

// --- randomness that is the same on every platform ---

class DemoRandom {
 public:
  explicit DemoRandom(uint32_t seed) : engine_(seed) {}
  // Uniform in (0, 1).
  double Uniform() { return (static_cast<double>(engine_()) + 0.5) / 4294967296.0; }
  // Box–Muller; one draw per call (no cached second value, so calls stay independent of history).
  double Normal(double mean, double sd) {
    const double u1 = Uniform();
    const double u2 = Uniform();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  // Uniform integer in [lo, hi].
  int Between(int lo, int hi) {
    return std::min(hi, lo + static_cast<int>(Uniform() * (hi - lo + 1)));
  }
  bool Chance(double p) { return Uniform() < p; }
  template <typename T>
  void Shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i)
      std::swap(v[i - 1], v[Between(0, static_cast<int>(i) - 1)]);
  }

 private:
  std::mt19937 engine_;
};

int Score(double x, int lo, int hi) { return std::clamp(static_cast<int>(std::lround(x)), lo, hi); }

// "Liam O'Connor" at "x.example" → "liam.oconnor@x.example".
std::string EmailFor(std::string_view name, std::string_view domain) {
  std::string local;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      local += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || c == '-') {
      local += c;
    } else if (c == ' ') {
      local += '.';
    }
  }
  return local + "@" + std::string(domain);
}

const OrganisationSpec& OrganisationOf(const PersonSpec& p) {
  for (const OrganisationSpec& o : kOrganisations)
    if (std::string_view(o.key) == p.organisation) return o;
  return kOrganisations[0];  // unreachable: the tables are consistent
}

const PersonSpec& PersonByKey(std::string_view key) {
  for (const PersonSpec& p : kPeople)
    if (key == p.key) return p;
  return kPeople[0];  // unreachable: the tables are consistent
}

std::string EmailOf(const PersonSpec& p) { return EmailFor(p.name, OrganisationOf(p).domain); }

std::vector<DemoLogin> Logins() {
  std::vector<DemoLogin> out;
  for (const AccountSpec& a : kAccounts) {
    out.push_back({a.email != nullptr ? a.email : EmailOf(PersonByKey(a.person)), a.role,
                   a.display_name, a.about});
  }
  return out;
}

std::string DateOf(TimePoint t) { return UtcText(t).substr(0, 10); }

// --- what is stored, as a summary ---

Result<DemoSummary> Summarise(const DemoServices& services, const model::Partnership& partnership,
                              bool created) {
  DemoSummary summary;
  summary.created = created;
  summary.partnership = partnership;
  Result<std::vector<model::Organisation>> orgs =
      services.directory.ListOrganisations(partnership.id);
  if (!orgs.ok()) return orgs.status();
  summary.organisations = std::move(*orgs);
  Result<std::vector<storage::StoredPerson>> people =
      services.directory.ListPeople(partnership.id, {});
  if (!people.ok()) return people.status();
  summary.people = people->size();
  for (const storage::StoredPerson& p : *people) {
    (p.person.level == model::Level::kStrategic ? summary.strategic : summary.operational) += 1;
  }
  summary.logins = Logins();
  summary.password = kDemoPassword;
  Result<std::vector<model::Campaign>> campaigns = services.campaigns.List(partnership.id);
  if (!campaigns.ok()) return campaigns.status();
  const auto campaign = std::find_if(campaigns->begin(), campaigns->end(), [](const auto& c) {
    return c.name.starts_with(kCampaignPrefix);
  });
  if (campaign == campaigns->end()) {
    return Status::FailedPrecondition(
        "the demo partnership '" + partnership.name +
        "' is incomplete (it has no campaign): delete the demo database and run trellis demo "
        "again");
  }
  summary.campaign = *campaign;
  Result<OrganisationProgressReport> progress =
      services.campaigns.ProgressByOrganisation(partnership.id, campaign->id);
  if (!progress.ok()) return progress.status();
  summary.responses = progress->total;
  return summary;
}

// --- the campaign's raters ---

struct PlannedRater {
  size_t subject = 0;  // index into kSubjects
  RaterGroup group = RaterGroup::kPeer;
  std::string person_key;  // "" for an external rater
  std::string name;
  std::string email;
};

// Who rates whom: the line manager; 2–4 direct reports (the subject's reports in the directory,
// then team members from outside it); peers from the subject's organisation (strategic subjects
// also from other organisations' strategic leaders, who sit with them on the partnership's
// leadership group); 1–3 partner colleagues from other organisations; and, for some, community
// raters.
std::vector<PlannedRater> PlanRaters(DemoRandom& random) {
  std::set<std::string> directory_emails;
  for (const PersonSpec& p : kPeople) directory_emails.insert(EmailOf(p));

  std::vector<PlannedRater> out;
  for (size_t s = 0; s < std::size(kSubjects); ++s) {
    const SubjectSpec& spec = kSubjects[s];
    const PersonSpec& subject = PersonByKey(spec.person);
    const bool strategic = std::string_view(subject.level) == "strategic";
    std::set<std::string> used = {subject.key};
    std::set<std::string> emails = {EmailOf(subject)};
    std::set<std::string> names = {subject.name};
    auto add_person = [&](RaterGroup group, const PersonSpec& p) {
      used.insert(p.key);
      emails.insert(EmailOf(p));
      names.insert(p.name);
      out.push_back({s, group, p.key, p.name, EmailOf(p)});
    };

    add_person(RaterGroup::kManager, PersonByKey(subject.manager));

    const int reports_wanted = random.Between(2, 4);
    std::vector<const PersonSpec*> reports;
    for (const PersonSpec& p : kPeople)
      if (p.manager != nullptr && std::string_view(p.manager) == subject.key) reports.push_back(&p);
    random.Shuffle(reports);
    int reports_added = 0;
    for (const PersonSpec* p : reports) {
      if (reports_added == reports_wanted) break;
      add_person(RaterGroup::kDirectReport, *p);
      ++reports_added;
    }
    while (reports_added < reports_wanted) {
      const std::string name =
          std::string(kTeamFirstNames[random.Between(
              0, static_cast<int>(std::size(kTeamFirstNames)) - 1)]) +
          " " + kTeamLastNames[random.Between(0, static_cast<int>(std::size(kTeamLastNames)) - 1)];
      const std::string email = EmailFor(name, OrganisationOf(subject).domain);
      if (names.contains(name) || emails.contains(email) || directory_emails.contains(email))
        continue;
      names.insert(name);
      emails.insert(email);
      out.push_back({s, RaterGroup::kDirectReport, "", name, email});
      ++reports_added;
    }

    // Peers: same organisation, same level first.
    const int peers_wanted = spec.peers > 0 ? spec.peers : random.Between(3, 5);
    std::vector<const PersonSpec*> same_level, other_level, leaders_elsewhere;
    for (const PersonSpec& p : kPeople) {
      if (used.contains(p.key)) continue;
      if (std::string_view(p.organisation) == subject.organisation) {
        (std::string_view(p.level) == subject.level ? same_level : other_level).push_back(&p);
      } else if (strategic && std::string_view(p.level) == "strategic") {
        leaders_elsewhere.push_back(&p);
      }
    }
    random.Shuffle(same_level);
    random.Shuffle(other_level);
    random.Shuffle(leaders_elsewhere);
    std::vector<const PersonSpec*> peers = same_level;
    peers.insert(peers.end(), other_level.begin(), other_level.end());
    peers.insert(peers.end(), leaders_elsewhere.begin(), leaders_elsewhere.end());
    for (int i = 0; i < peers_wanted && i < static_cast<int>(peers.size()); ++i)
      add_person(RaterGroup::kPeer, *peers[i]);

    // Partners: colleagues in the other organisations.
    const int partners_wanted = random.Between(strategic ? 2 : 1, 3);
    std::vector<const PersonSpec*> partners;
    for (const PersonSpec& p : kPeople) {
      if (!used.contains(p.key) && std::string_view(p.organisation) != subject.organisation)
        partners.push_back(&p);
    }
    random.Shuffle(partners);
    for (int i = 0; i < partners_wanted && i < static_cast<int>(partners.size()); ++i)
      add_person(RaterGroup::kPartner, *partners[i]);

    // Community raters: fewer for the hospital, whose managers meet the public less as partners.
    const int community_wanted =
        random.Between(0, std::string_view(subject.organisation) == "hosp" ? 1 : 2);
    std::vector<const ExternalSpec*> community;
    for (const ExternalSpec& e : kCommunityRaters) community.push_back(&e);
    random.Shuffle(community);
    for (int i = 0; i < community_wanted; ++i) {
      out.push_back({s, RaterGroup::kCommunity, "", community[i]->name, community[i]->email});
    }
  }
  return out;
}

// --- synthetic answers ---

struct ItemRef {
  size_t domain = 0;      // index into framework.domains
  size_t competency = 0;  // index across the framework
  std::string code;
};

std::vector<ItemRef> ItemsOf(const model::Framework& f) {
  std::vector<ItemRef> out;
  size_t competency = 0;
  for (size_t d = 0; d < f.domains.size(); ++d) {
    for (const model::Competency& c : f.domains[d].competencies) {
      for (const model::Item& item : c.items) out.push_back({d, competency, item.code});
      ++competency;
    }
  }
  return out;
}

// One subject as others really see them, and the room they have to act.
struct SubjectTruth {
  std::vector<double> level;  // per competency, on the 1..5 scale
  double self_bias = 0.0;     // added to their own ratings
  double room[3] = {};        // capacity, commitment, context
};

SubjectTruth DrawTruth(DemoRandom& random, const SubjectSpec& spec, const model::Framework& f) {
  SubjectTruth truth;
  const double base = spec.self_view == SelfView::kInflated   ? random.Normal(2.95, 0.15)
                      : spec.self_view == SelfView::kDeflated ? random.Normal(3.9, 0.15)
                                                              : random.Normal(3.35, 0.3);
  for (const model::Domain& d : f.domains) {
    for (size_t c = 0; c < d.competencies.size(); ++c) {
      truth.level.push_back(
          std::clamp(base + DomainShift(d.code) + random.Normal(0.0, 0.35), 1.6, 4.7));
    }
  }
  truth.self_bias = spec.self_view == SelfView::kInflated   ? 1.4
                    : spec.self_view == SelfView::kDeflated ? -1.4
                                                            : random.Normal(0.15, 0.25);
  truth.room[0] = spec.low_capacity ? random.Normal(1.9, 0.2) : random.Normal(3.5, 0.4);
  truth.room[1] = random.Normal(3.4, 0.4);
  truth.room[2] = random.Normal(3.3, 0.4);
  return truth;
}

double NotObservedChance(RaterGroup g) {
  switch (g) {
    case RaterGroup::kSelf:
      return 0.01;
    case RaterGroup::kManager:
      return 0.03;
    case RaterGroup::kPartner:
      return 0.08;
    case RaterGroup::kCommunity:
      return 0.12;
    default:
      return 0.04;
  }
}

double AnswerChance(RaterGroup g) {
  if (g == RaterGroup::kSelf) return 0.92;
  if (g == RaterGroup::kManager) return 0.85;
  return 0.78;
}

struct DrawnResponse {
  std::vector<model::Answer> answers;
  std::vector<std::pair<std::string, std::string>> comments;
};

DrawnResponse DrawResponse(DemoRandom& random, const SubjectSpec& spec, const SubjectTruth& truth,
                           RaterGroup group, const model::Framework& framework,
                           const std::vector<ItemRef>& items,
                           const std::vector<ItemRef>& context_items) {
  DrawnResponse r;
  const bool self = group == RaterGroup::kSelf;
  const double leniency = self                            ? truth.self_bias
                          : group == RaterGroup::kManager ? random.Normal(-0.1, 0.25)
                                                          : random.Normal(0.0, 0.3);
  const double item_sd = self ? 0.45 : 0.55;
  std::vector<double> domain_sum(framework.domains.size(), 0.0);
  std::vector<int> domain_n(framework.domains.size(), 0);
  for (const ItemRef& item : items) {
    const double x = truth.level[item.competency] + leniency + random.Normal(0.0, item_sd);
    if (random.Chance(NotObservedChance(group))) {
      r.answers.push_back({item.code, std::nullopt});
      continue;
    }
    const int score = Score(x, framework.scale.min, framework.scale.max);
    r.answers.push_back({item.code, score});
    domain_sum[item.domain] += score;
    domain_n[item.domain] += 1;
  }
  // Context check: raters know less of a subject's resources than the subject does.
  for (const ItemRef& item : context_items) {
    double room = truth.room[std::min<size_t>(item.domain, 2)];
    if (item.code == "CAP1.4") room -= 0.4;  // analytical support is thin everywhere
    const double x = room + random.Normal(0.0, self ? 0.4 : 0.6);
    if (!self && random.Chance(0.1)) {
      r.answers.push_back({item.code, std::nullopt});
    } else {
      r.answers.push_back({item.code, Score(x, 1, 5)});
    }
  }
  // A few raters write a comment on one domain, in line with how they scored it.
  if (!self && random.Chance(0.3)) {
    const size_t d =
        static_cast<size_t>(random.Between(0, static_cast<int>(framework.domains.size()) - 1));
    const int variant = random.Between(0, 1);
    const bool no_room = spec.low_capacity && random.Chance(0.5);
    if (no_room) {
      r.comments.push_back(
          {"SHL",
           kNoRoomComments[random.Between(0, static_cast<int>(std::size(kNoRoomComments)) - 1)]});
    } else if (domain_n[d] > 0) {
      const double mean = domain_sum[d] / domain_n[d];
      for (const DomainComments& c : kComments) {
        if (framework.domains[d].code != c.domain) continue;
        if (mean >= 3.6) r.comments.push_back({c.domain, c.positive[variant]});
        if (mean <= 3.0) r.comments.push_back({c.domain, c.developmental[variant]});
      }
    }
  }
  return r;
}

// The link token in an invitation's link ("{base_url}/r/{token}").
std::string TokenOf(const Invitation& invitation) {
  const size_t at = invitation.link.rfind("/r/");
  return at == std::string::npos ? "" : invitation.link.substr(at + 3);
}

std::string RaterKey(std::string_view subject_id, std::string_view email) {
  return std::string(subject_id) + "\n" + storage::EmailKey(email);
}

// A demo campaign opened with `planned` nominated: every rater's invitation, and the index of
// each by RaterKey(subject id, rater email).
struct OpenedDemoCampaign {
  std::vector<Invitation> invitations;
  std::map<std::string, const Invitation*> invitation_for;  // into `invitations`
};

Result<std::unique_ptr<OpenedDemoCampaign>> NominateAndOpen(
    const DemoServices& services, const std::string& pid, const std::string& campaign_id,
    const std::vector<PlannedRater>& planned, std::map<std::string, std::string>& person_ids) {
  std::vector<RaterSpec> raters;
  for (const PlannedRater& r : planned) {
    raters.push_back({person_ids[kSubjects[r.subject].person],
                      r.person_key.empty() ? "" : person_ids[r.person_key], r.name, r.email,
                      r.group});
  }
  Result<std::vector<model::Nomination>> nominated =
      services.campaigns.Nominate(pid, campaign_id, raters, kActor);
  if (!nominated.ok()) return nominated.status();
  TRELLIS_RETURN_IF_ERROR(services.campaigns.Open(pid, campaign_id, kActor));
  auto opened = std::make_unique<OpenedDemoCampaign>();
  Result<std::vector<Invitation>> invitations =
      services.campaigns.ExportInvitations(pid, campaign_id, kActor);
  if (!invitations.ok()) return invitations.status();
  opened->invitations = std::move(*invitations);
  Result<std::vector<model::Nomination>> nominations =
      services.campaigns.Nominations(pid, campaign_id);
  if (!nominations.ok()) return nominations.status();
  std::map<std::string, const model::Nomination*> by_id;
  for (const model::Nomination& n : *nominations) by_id[n.id] = &n;
  for (const Invitation& inv : opened->invitations) {
    const auto n = by_id.find(inv.nomination_id);
    if (n != by_id.end())
      opened->invitation_for[RaterKey(n->second->subject_id, inv.rater_email)] = &inv;
  }
  return opened;
}

// The pilot: an earlier campaign on the same framework with the same subjects (raters drawn
// afresh), closed and released, so the demo's subjects — the demo member among them — can read
// a report, and the current campaign's reports, once released, show the change since. It has its
// own random stream, so the current campaign's answers do not depend on it.
Status SeedReleasedPilot(const DemoServices& services, const std::string& pid,
                         const model::Framework& f, const model::Framework& context,
                         std::map<std::string, std::string>& person_ids,
                         const DemoSeedOptions& options) {
  const TimePoint opens = options.now - std::chrono::days(200);
  CampaignSpec spec;
  spec.partnership_id = pid;
  spec.framework_code = f.code;
  spec.framework_version = f.version;
  spec.opens_on = DateOf(opens);
  spec.closes_on = DateOf(opens + std::chrono::days(28));
  spec.name = "Pilot " + DemoCampaignName(spec.opens_on);
  spec.min_group = 3;
  spec.context_check = true;
  for (const SubjectSpec& s : kSubjects) spec.subject_ids.push_back(person_ids[s.person]);
  Result<model::Campaign> campaign = services.campaigns.Create(spec, kActor);
  if (!campaign.ok()) return campaign.status();
  DemoRandom random(options.seed + 1);
  const std::vector<PlannedRater> planned = PlanRaters(random);
  Result<std::unique_ptr<OpenedDemoCampaign>> opened =
      NominateAndOpen(services, pid, campaign->id, planned, person_ids);
  if (!opened.ok()) return opened.status();
  const std::map<std::string, const Invitation*>& invitation_for = (*opened)->invitation_for;
  const std::vector<ItemRef> items = ItemsOf(f);
  const std::vector<ItemRef> context_items = ItemsOf(context);
  for (size_t s = 0; s < std::size(kSubjects); ++s) {
    const SubjectSpec& spec_s = kSubjects[s];
    const PersonSpec& subject = PersonByKey(spec_s.person);
    const SubjectTruth truth = DrawTruth(random, spec_s, f);
    std::vector<PlannedRater> raters_s = {
        {s, RaterGroup::kSelf, subject.key, subject.name, EmailOf(subject)}};
    for (const PlannedRater& r : planned)
      if (r.subject == s) raters_s.push_back(r);
    for (const PlannedRater& r : raters_s) {
      const bool forced =
          r.group == RaterGroup::kSelf || (r.group == RaterGroup::kPeer && spec_s.peers > 0);
      const bool answers = random.Chance(0.9) || forced;
      const DrawnResponse response =
          DrawResponse(random, spec_s, truth, r.group, f, items, context_items);
      const TimePoint at =
          opens + std::chrono::hours(2) +
          std::chrono::seconds(static_cast<int64_t>(random.Uniform() * 20 * 86400));
      if (!answers) continue;
      const auto inv = invitation_for.find(RaterKey(person_ids[subject.key], r.email));
      if (inv == invitation_for.end()) {
        return Status::Internal("demo: no pilot invitation was issued for " + r.name + " rating " +
                                subject.name);
      }
      Result<storage::SubmitOutcome> submitted =
          services.questionnaires.Submit(TokenOf(*inv->second), response.answers, response.comments,
                                         "demo-pilot-" + inv->second->nomination_id, at);
      if (!submitted.ok()) return submitted.status();
    }
  }
  TRELLIS_RETURN_IF_ERROR(services.campaigns.Close(pid, campaign->id, kActor));
  return services.campaigns.Release(pid, campaign->id, kActor);
}

}  // namespace

std::string DemoCampaignName(const std::string& opens_on) {
  const int year = std::stoi(opens_on.substr(0, 4));
  const int month = std::stoi(opens_on.substr(5, 2));
  const char* season = month >= 3 && month <= 5    ? "spring"
                       : month >= 6 && month <= 8  ? "summer"
                       : month >= 9 && month <= 11 ? "autumn"
                                                   : "winter";
  return std::string(kCampaignPrefix) + " \u2014 " + season + " " + std::to_string(year);
}

Result<DemoSummary> SeedDemoPartnership(const DemoServices& services,
                                        const DemoSeedOptions& options) {
  Result<model::Partnership> existing = services.directory.FindPartnership(kDemoPartnershipName);
  if (existing.ok()) return Summarise(services, *existing, /*created=*/false);
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();

  Result<ImportOutcome> framework = services.frameworks.Import(options.integrated_care_path);
  if (!framework.ok()) return framework.status();
  Result<ImportOutcome> context = services.frameworks.Import(options.context_check_path);
  if (!context.ok()) return context.status();
  const model::Framework& f = framework->stored.framework;

  Result<model::Partnership> partnership =
      services.directory.CreatePartnership(kDemoPartnershipName, kActor);
  if (!partnership.ok()) return partnership.status();
  const std::string& pid = partnership->id;

  std::map<std::string, std::string> org_ids;  // OrganisationSpec key → id
  for (const OrganisationSpec& o : kOrganisations) {
    Result<model::Organisation> org =
        services.directory.AddOrganisation(pid, o.name, o.sector, kActor);
    if (!org.ok()) return org.status();
    org_ids[o.key] = org->id;
  }
  std::map<std::string, std::string> person_ids;  // PersonSpec key → id
  Principal demo_admin, demo_member;
  for (const PersonSpec& p : kPeople) {
    PersonInput input{p.name,  EmailOf(p), org_ids[p.organisation],
                      p.level, p.function, p.manager != nullptr ? person_ids[p.manager] : ""};
    Result<storage::StoredPerson> person = services.directory.AddPerson(pid, input, kActor);
    if (!person.ok()) return person.status();
    person_ids[p.key] = person->person.id;
  }
  for (const AccountSpec& a : kAccounts) {
    NewAccount account{pid, a.email != nullptr ? a.email : EmailOf(PersonByKey(a.person)),
                       a.display_name, a.role, a.person != nullptr ? person_ids[a.person] : ""};
    Result<model::Account> made = services.auth.CreateAccount(account, kDemoPassword, kActor);
    if (!made.ok()) return made.status();
    // Who the demo plan's owner and the catalogue's admin are (demo_plan_seed.h).
    Principal& who = made->role == model::Role::kAdmin ? demo_admin : demo_member;
    if (made->role != model::Role::kBoard && who.account_id.empty()) {
      who = {made->id, pid, made->role, made->email, made->display_name, made->person_id, ""};
    }
  }

  // The campaign: created, raters nominated, opened, every link issued.
  CampaignSpec spec;
  spec.partnership_id = pid;
  spec.framework_code = f.code;
  spec.framework_version = f.version;
  spec.opens_on = DateOf(options.now - std::chrono::days(21));
  spec.closes_on = DateOf(options.now + std::chrono::days(28));
  spec.name = DemoCampaignName(spec.opens_on);
  spec.min_group = 3;
  spec.context_check = true;
  for (const SubjectSpec& s : kSubjects) spec.subject_ids.push_back(person_ids[s.person]);
  Result<model::Campaign> campaign = services.campaigns.Create(spec, kActor);
  if (!campaign.ok()) return campaign.status();

  DemoRandom random(options.seed);
  const std::vector<PlannedRater> planned = PlanRaters(random);
  Result<std::unique_ptr<OpenedDemoCampaign>> demo_campaign =
      NominateAndOpen(services, pid, campaign->id, planned, person_ids);
  if (!demo_campaign.ok()) return demo_campaign.status();
  const std::map<std::string, const Invitation*>& invitation_for = (*demo_campaign)->invitation_for;
  Result<model::Campaign> opened = services.campaigns.Get(pid, campaign->id);
  if (!opened.ok()) return opened.status();

  // Responses, subject by subject: self first, then the raters as planned.
  const std::vector<ItemRef> items = ItemsOf(f);
  const std::vector<ItemRef> context_items = ItemsOf(context->stored.framework);
  // Responses come in between an hour after opening (not before the opening date) and `now`.
  TimePoint first = options.now - std::chrono::days(21);
  if (std::optional<TimePoint> at = ParseUtcText(opened->opened_at))
    first = std::max(first, *at + std::chrono::hours(1));
  first = std::min(first, options.now);
  const double window_seconds =
      std::max(0.0, std::chrono::duration<double>(options.now - first).count());
  std::vector<Invitation> unanswered;
  std::set<RaterGroup> unanswered_groups;
  for (size_t s = 0; s < std::size(kSubjects); ++s) {
    const SubjectSpec& spec_s = kSubjects[s];
    const PersonSpec& subject = PersonByKey(spec_s.person);
    const SubjectTruth truth = DrawTruth(random, spec_s, f);
    std::vector<PlannedRater> raters_s = {
        {s, RaterGroup::kSelf, subject.key, subject.name, EmailOf(subject)}};
    for (const PlannedRater& r : planned)
      if (r.subject == s) raters_s.push_back(r);
    for (const PlannedRater& r : raters_s) {
      // The subjects whose story is the gap answer themselves, and the few peers of those with
      // too few peers answer, so the reports show what the demo is for.
      const bool forced = (r.group == RaterGroup::kSelf && spec_s.self_view != SelfView::kFair) ||
                          (r.group == RaterGroup::kPeer && spec_s.peers > 0);
      const bool answers = random.Chance(AnswerChance(r.group)) || forced;
      const DrawnResponse response =
          DrawResponse(random, spec_s, truth, r.group, f, items, context_items);
      const TimePoint at =
          first + std::chrono::seconds(static_cast<int64_t>(random.Uniform() * window_seconds));
      const auto inv = invitation_for.find(RaterKey(person_ids[subject.key], r.email));
      if (inv == invitation_for.end()) {
        return Status::Internal("demo: no invitation was issued for " + r.name + " rating " +
                                subject.name);
      }
      if (!answers) {
        if (r.group != RaterGroup::kSelf && unanswered.size() < 3 &&
            unanswered_groups.insert(r.group).second) {
          unanswered.push_back(*inv->second);
        }
        continue;
      }
      Result<storage::SubmitOutcome> submitted =
          services.questionnaires.Submit(TokenOf(*inv->second), response.answers, response.comments,
                                         "demo-" + inv->second->nomination_id, at);
      if (!submitted.ok()) return submitted.status();
    }
  }

  TRELLIS_RETURN_IF_ERROR(
      SeedReleasedPilot(services, pid, f, context->stored.framework, person_ids, options));

  if (services.plans != nullptr) {
    TRELLIS_RETURN_IF_ERROR(
        SeedDemoPlan(*services.plans, demo_admin, demo_member, campaign->id, options.now));
  }

  Result<DemoSummary> summary = Summarise(services, *partnership, /*created=*/true);
  if (!summary.ok()) return summary.status();
  summary->unanswered = std::move(unanswered);
  return summary;
}

}  // namespace trellis::service
