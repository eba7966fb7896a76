#!/usr/bin/env bash
# Fetches a third set of real photographs (26 files, neither Kodak nor the second set of
# fetch-photos.sh) from three Debian packages of desktop wallpapers into DIR (default:
# ./photos-wallpapers), for the image watermark benchmarks. Like fetch-photos.sh, nothing is
# installed: the .deb files are downloaded with `apt-get download` into a temporary folder and only
# the photos are extracted. Only photographs were taken (the packages' drawings and renderings were
# left out, whatever they did in a benchmark); all are 1365-6028 pixels a side, larger than Kodak,
# so `--max-side 768` makes them Kodak-sized (768 pixels on the longer side).
#
#   benchmarks/scripts/fetch-photos-3.sh [DIR]
#   java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.image.OmniSealSuite --max-side 768 DIR
#
# Needs apt-get (Debian or Ubuntu; run `apt-get update` once first) and dpkg-deb. About 120 MB is
# downloaded (plasma-workspace-wallpapers is most of it); the photos take about 25 MB. Do not
# commit them.
#
# Licences (from each package's /usr/share/doc/<package>/copyright; keep this list with the files):
# - lomiri-wallpapers-16.04 (Debian 20.04.0-2), Ubuntu's 18.04 wallpaper contest, usr/share/backgrounds:
#   CC-BY-4.0: Aitzol Berasategi (aitzgorri, friends, life, picosdeeuropa, sunset), Trevor
#   "Freespace" (Picture_0B, Picture_1A), Jakub Mede (Wine); CC-BY-SA-4.0: Sander Klootwijk
#   (Bridge), "Bolly" (Dragonfly), Peter Nerlich (analogpattern, free, greentock); CC0-1.0:
#   Clemens Engelhardt (seeding). 14 photos.
# - lomiri-wallpapers-20.04 (Debian 20.04.0-2): Kleiber by Lukas Baubkus, CC-BY-SA-3.0. 1 photo.
# - plasma-workspace-wallpapers (Debian 4:5.27.5-2), usr/share/wallpapers/*/contents/images: KDE
#   Visual Design Group, GPL-2+: BytheWater, ColdRipple, ColorfulCups, DarkestHour, EveningGlow,
#   FallenLeaf, Grey, Kite, OneStandsOut, Path, summer_1am (the 2560x1600 images). 11 photos.
set -euo pipefail

dir=${1:-photos-wallpapers}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt-get download runs as _apt where it can
mkdir -p "$dir"
(cd "$tmp" && apt-get download lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 plasma-workspace-wallpapers >/dev/null)

extract() { # package, path inside the package, output name
  local deb
  deb=$(ls "$tmp"/"$1"_*.deb)
  mkdir -p "$tmp/x/$1"
  [ -d "$tmp/x/$1/usr" ] || dpkg-deb -x "$deb" "$tmp/x/$1"
  if [ ! -f "$tmp/x/$1/$2" ]; then
    echo "fetch-photos-3: $2 not in $1 (package version changed?)" >&2
    exit 1
  fi
  cp "$tmp/x/$1/$2" "$dir/$3"
}

for f in Bridge_by_Sander_Klootwijk Dragonfly_by_Bolly Picture_0B_by_freespace Picture_1A_by_freespace \
    Wine_by_Jakkub_Mede aitzgorri_by_Aitzol_Berasategi analogpattern_by_Peter_Nerlich free_by_Peter_Nerlich \
    friends_by_Aitzol_Berasategi greentock_by_Peter_Nerlich life_by_Aitzol_Berasategi \
    picosdeeuropa_by_Aitzol_Berasategi seeding_by_Clements_Engelhardt sunset_by_Aitzol_Berasategi; do
  extract lomiri-wallpapers-16.04 "usr/share/backgrounds/$f.jpg" "lomiri-$f.jpg"
done
extract lomiri-wallpapers-20.04 usr/share/backgrounds/Kleiber_by_Lukas_Baubkus.jpg lomiri-Kleiber_by_Lukas_Baubkus.jpg
for f in BytheWater ColdRipple ColorfulCups DarkestHour EveningGlow FallenLeaf Grey Kite OneStandsOut Path summer_1am; do
  extract plasma-workspace-wallpapers "usr/share/wallpapers/$f/contents/images/2560x1600.jpg" "plasma-$f.jpg"
done
echo "fetch-photos-3: $(ls "$dir" | wc -l) photos in $dir" >&2
