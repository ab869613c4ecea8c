#include "voice_settings.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cmath>
#include <cstdlib>
#include <sstream>

namespace herald::voice {
namespace {

using Poco::JSON::Object;

std::string RateRange() {
  std::ostringstream out;
  out << kMinSpeakingRate << " to " << kMaxSpeakingRate << " (times " << kDefaultWordsPerMinute
      << " words per minute)";
  return out.str();
}

bool RateInRange(double rate) { return rate >= kMinSpeakingRate && rate <= kMaxSpeakingRate; }

std::string Number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

// A string member of `o`, or "" when absent or null.
StatusOr<std::string> StringField(const Object::Ptr& o, const std::string& name,
                                  const std::string& path) {
  if (o.isNull() || !o->has(name) || o->isNull(name)) return std::string();
  Poco::Dynamic::Var v = o->get(name);
  if (!v.isString()) return Status::InvalidArgument(path + ": expected a string");
  return v.extract<std::string>();
}

}  // namespace

StatusOr<AgentSpeech> AgentSpeechFromSnapshot(const std::string& snapshot_json) {
  Object::Ptr root;
  try {
    Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(snapshot_json);
    if (parsed.type() == typeid(Object::Ptr)) root = parsed.extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("the snapshot is not valid JSON: " + e.displayText());
  }
  if (root.isNull()) return Status::InvalidArgument("the snapshot is not a JSON object");
  AgentSpeech out;
  Object::Ptr voice = root->getObject("voice");
  if (!voice.isNull()) {
    StatusOr<std::string> name = StringField(voice, "voice", "voice.voice");
    if (!name.ok()) return name.status();
    StatusOr<std::string> language = StringField(voice, "language", "voice.language");
    if (!language.ok()) return language.status();
    out.voice.voice = *name;
    out.voice.language = *language;
    if (voice->has("speaking_rate") && !voice->isNull("speaking_rate")) {
      Poco::Dynamic::Var rate = voice->get("speaking_rate");
      if (!rate.isNumeric() || rate.isBoolean()) {
        return Status::InvalidArgument("voice.speaking_rate: expected a number");
      }
      out.voice.speaking_rate = rate.convert<double>();
    }
  }
  Object::Ptr behaviour = root->getObject("behaviour");
  StatusOr<std::string> welcome =
      StringField(behaviour, "welcome_message", "behaviour.welcome_message");
  if (!welcome.ok()) return welcome.status();
  out.welcome_message = *welcome;
  return out;
}

VoiceSettings OverridesFromSettings(const sdk::Values& settings,
                                    std::vector<sdk::Problem>* problems) {
  VoiceSettings out;
  out.voice = settings.Get(kVoiceSetting);
  out.language = settings.Get(kLanguageSetting);
  std::string rate = settings.Get(kSpeakingRateSetting);
  // A number, or a string holding one (`herald agents set-channel --setting
  // speaking_rate=1.2` sends "1.2").
  if (rate.size() >= 2 && rate.front() == '"' && rate.back() == '"') {
    rate = rate.substr(1, rate.size() - 2);
  }
  if (!rate.empty() && rate != "null") {
    char* end = nullptr;
    double value = std::strtod(rate.c_str(), &end);
    if (end == rate.c_str() || *end != '\0' || !std::isfinite(value)) {
      problems->push_back({kSpeakingRateSetting, "must be a number, " + RateRange()});
    } else {
      out.speaking_rate = value;
    }
  }
  return out;
}

std::vector<sdk::Problem> CheckChannelSettings(const sdk::Values& settings,
                                               const VoiceCatalog& catalog) {
  std::vector<sdk::Problem> problems;
  VoiceSettings overrides = OverridesFromSettings(settings, &problems);
  if (!overrides.voice.empty()) {
    if (auto v = catalog.ResolveVoice(overrides.voice); !v.ok()) {
      problems.push_back({kVoiceSetting, v.status().message()});
    }
  }
  if (!overrides.language.empty()) {
    if (auto l = catalog.ResolveLanguage(overrides.language); !l.ok()) {
      problems.push_back({kLanguageSetting, l.status().message()});
    }
  }
  if (overrides.speaking_rate && !RateInRange(*overrides.speaking_rate)) {
    problems.push_back({kSpeakingRateSetting, "must be between " + Number(kMinSpeakingRate) +
                                                  " and " + Number(kMaxSpeakingRate) + " (times " +
                                                  std::to_string(kDefaultWordsPerMinute) +
                                                  " words per minute), got " +
                                                  Number(*overrides.speaking_rate)});
  }
  return problems;
}

StatusOr<Voice> EffectiveVoice(const VoiceSettings& agent, const VoiceSettings& overrides,
                               const VoiceCatalog& catalog) {
  // Where each value comes from, for the error message.
  auto source = [&](bool overridden, const char* name) {
    return overridden ? std::string("the voice channel's setting ") + name
                      : std::string("the agent's voice.") + name;
  };
  const bool voice_overridden = !overrides.voice.empty();
  const bool language_overridden = !overrides.language.empty();
  const std::string voice = voice_overridden ? overrides.voice : agent.voice;
  const std::string language = language_overridden ? overrides.language : agent.language;

  std::string language_voice;
  if (!language.empty()) {
    StatusOr<std::string> l = catalog.ResolveLanguage(language);
    if (!l.ok()) {
      return Status::InvalidArgument(source(language_overridden, kLanguageSetting) + ": " +
                                     l.status().message());
    }
    language_voice = *l;
  }
  Voice out;
  if (!voice.empty()) {
    StatusOr<std::string> v = catalog.ResolveVoice(voice);
    if (!v.ok()) {
      return Status::InvalidArgument(source(voice_overridden, kVoiceSetting) + ": " +
                                     v.status().message());
    }
    out.name = *v;
  } else if (!language_voice.empty()) {
    out.name = language_voice;
  } else {
    StatusOr<std::string> l = catalog.ResolveLanguage(kDefaultLanguage);
    if (!l.ok()) return Status::InvalidArgument("espeak-ng has no US English voice");
    out.name = *l;
  }

  const bool rate_overridden = overrides.speaking_rate.has_value();
  const double rate =
      rate_overridden ? *overrides.speaking_rate : agent.speaking_rate.value_or(1.0);
  if (!RateInRange(rate)) {
    return Status::InvalidArgument(source(rate_overridden, kSpeakingRateSetting) + " " +
                                   Number(rate) + " is outside the voice channel's range " +
                                   RateRange());
  }
  out.words_per_minute = static_cast<int>(std::lround(rate * kDefaultWordsPerMinute));
  return out;
}

}  // namespace herald::voice
