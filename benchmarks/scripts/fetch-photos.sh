#!/usr/bin/env bash
# Fetches a second set of real photographs (30 files, none of them Kodak) from three Debian
# packages into DIR (default: ./photos-debian), for the image watermark benchmarks
# (OmniSealSuite, ImageAttackSuite). Nothing is installed: the .deb files are downloaded with
# `apt-get download` into a temporary folder and only the photos are extracted.
#
#   benchmarks/scripts/fetch-photos.sh [DIR]
#   java -cp benchmarks/target/benchmarks.jar dev.hallmark.benchmarks.image.OmniSealSuite --max-side 768 DIR
#
# Needs apt-get (Debian or Ubuntu; run `apt-get update` once first) and dpkg-deb. About 160 MB is
# downloaded (opencv-doc is most of it); the photos take about 25 MB. Do not commit them.
#
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
set -euo pipefail

dir=${1:-photos-debian}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # apt-get download runs as _apt where it can
mkdir -p "$dir"
(cd "$tmp" && apt-get download mate-backgrounds python3-skimage opencv-doc >/dev/null)

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
echo "fetch-photos: $(ls "$dir" | wc -l) photos in $dir" >&2
