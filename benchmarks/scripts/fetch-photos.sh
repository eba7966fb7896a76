#!/usr/bin/env bash
# Fetches real photographs (none of them Kodak) from Debian packages into DIR, for the image
# watermark benchmarks (OmniSealSuite, ImageAttackSuite). Nothing is installed: the .deb files are
# downloaded with `apt-get download` into a temporary folder and only the photos are extracted.
#
#   benchmarks/scripts/fetch-photos.sh [DIR]                # the second set: 30 photos (default DIR ./photos-debian)
#   benchmarks/scripts/fetch-photos.sh --wallpapers [DIR]   # the third set: 26 photos (default DIR ./photos-wallpapers)
#   java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.image.OmniSealSuite --max-side 768 DIR
#
# Needs apt-get (Debian or Ubuntu; run `apt-get update` once first) and dpkg-deb. About 160 MB is
# downloaded for the second set (opencv-doc is most of it), 120 MB for the third
# (plasma-workspace-wallpapers); each set's photos take about 25 MB. Do not commit them.
#
# The second set (fetched 2026-12-04; 14 of its photos are smaller than Kodak's 768x512).
# Licences (from each package's /usr/share/doc/<package>/copyright; keep this list with the files):
# - mate-backgrounds (Debian 1.26.0-1), usr/share/backgrounds/mate/nature/*.jpg: GPL-2+; authors
#   Charles Barbin (Aqua, LadyBird, YellowFlower, Garden, TwoWings with Hylke Bons), Lennart
#   Poettering and Andrea Cimitan (Blinds), Marco Cogoni and Hylke Bons (Dune), Jens Ansorg
#   (FreshFlower), Timothy Schellhase and Lapo Calamandrei (GreenMeadow), "blackcombwhistler07"
#   (RainDrops), Sergey Nazarov (Storm), Jean-Francois Fortin Tam (Wood). 12 photos, 1280-2560 px.
# - python3-skimage (Debian 0.19.3-8), skimage/data: astronaut (NASA, public domain), coffee
#   (Rachel Michetti, CC0), chelsea (Stefan van der Walt, CC0), motorcycle_left (Middlebury stereo
#   data set, Scharstein et al., research use), rocket (SpaceX, CC0 / public domain). 5 photos.
# - opencv-doc (Debian 4.6.0+dfsg-12), usr/share/doc/opencv-doc/examples/data: OpenCV's sample
#   images (BSD-3-Clause package; the photos are classic test images of mixed provenance, e.g.
#   baboon and fruits from the USC-SIPI database, aloeL from the Middlebury stereo set, leuvenA and
#   graf1 from the Oxford affine-covariant region set), for research and testing only. 13 photos.
#
# The third set (--wallpapers; fetched 2026-12-06 to check embedder 1.1, whose mask was chosen on
# the second set): every photograph of three wallpaper packages, their drawings and renderings
# left out; 1365-6028 pixels a side, so `--max-side 768` makes all of them Kodak-sized. Licences:
# - lomiri-wallpapers-16.04 (Debian 20.04.0-2), usr/share/backgrounds, Ubuntu's 18.04 wallpaper
#   contest: CC-BY-4.0: Aitzol Berasategi (aitzgorri, friends, life, picosdeeuropa, sunset), Trevor
#   "Freespace" (Picture_0B, Picture_1A), Jakub Mede (Wine); CC-BY-SA-4.0: Sander Klootwijk
#   (Bridge), "Bolly" (Dragonfly), Peter Nerlich (analogpattern, free, greentock); CC0-1.0: Clemens
#   Engelhardt (seeding). 14 photos.
# - lomiri-wallpapers-20.04 (Debian 20.04.0-2): Kleiber by Lukas Baubkus, CC-BY-SA-3.0. 1 photo.
# - plasma-workspace-wallpapers (Debian 4:5.27.5-2), usr/share/wallpapers/*/contents/images: KDE
#   Visual Design Group, GPL-2+: BytheWater, ColdRipple, ColorfulCups, DarkestHour, EveningGlow,
#   FallenLeaf, Grey, Kite, OneStandsOut, Path, summer_1am (their 2560x1600 images). 11 photos.
set -euo pipefail

set_name=debian
if [ "${1:-}" = --wallpapers ]; then
  set_name=wallpapers
  shift
fi
dir=${1:-photos-$set_name}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt-get download runs as _apt where it can
mkdir -p "$dir"

extract() { # package, path inside the package, output name
  local deb
  deb=$(ls "$tmp"/"$1"_*.deb)
  mkdir -p "$tmp/x/$1"
  [ -d "$tmp/x/$1/usr" ] || dpkg-deb -x "$deb" "$tmp/x/$1"
  if [ ! -f "$tmp/x/$1/$2" ]; then
    echo "fetch-photos: $2 not in $1 (package version changed?)" >&2
    exit 1
  fi
  cp "$tmp/x/$1/$2" "$dir/$3"
}

if [ "$set_name" = debian ]; then
  (cd "$tmp" && apt-get download mate-backgrounds python3-skimage opencv-doc >/dev/null)
  for f in Aqua Blinds Dune FreshFlower Garden GreenMeadow LadyBird RainDrops Storm TwoWings Wood YellowFlower; do
    extract mate-backgrounds "usr/share/backgrounds/mate/nature/$f.jpg" "mate-$f.jpg"
  done
  for f in astronaut.png coffee.png chelsea.png motorcycle_left.png rocket.jpg; do
    extract python3-skimage "usr/lib/python3/dist-packages/skimage/data/$f" "skimage-$f"
  done
  for f in baboon.jpg fruits.jpg building.jpg leuvenA.jpg aloeL.jpg squirrel_cls.jpg home.jpg messi5.jpg \
      graf1.png butterfly.jpg basketball1.png box_in_scene.png board.jpg; do
    extract opencv-doc "usr/share/doc/opencv-doc/examples/data/$f" "opencv-$f"
  done
else
  (cd "$tmp" && apt-get download lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 plasma-workspace-wallpapers >/dev/null)
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
fi
echo "fetch-photos: $(ls "$dir" | wc -l) photos in $dir" >&2
